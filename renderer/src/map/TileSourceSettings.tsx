// The workspace's online tile source: tiles the user views are fetched by the data service
// while online and kept on disk for offline use. Never a bulk download.
import { useEffect, useState } from 'react';
import type { MapSettings } from '../../../shared/rpc-map';
import { call, errorMessage } from '../app/connection';
import { TextField } from '../components/fields';
import { issuesOf, type Issues } from '../lib/issues';

export function TileSourceSettings({ settings, onChange }: { settings: MapSettings; onChange: (settings: MapSettings) => void }) {
  const [tileUrl, setTileUrl] = useState(settings.tileUrl ?? '');
  const [attribution, setAttribution] = useState(settings.attribution);
  const [issues, setIssues] = useState<Issues>({});
  const [status, setStatus] = useState('');

  useEffect(() => {
    setTileUrl(settings.tileUrl ?? '');
    setAttribution(settings.attribution);
  }, [settings.tileUrl, settings.attribution]);

  const save = async () => {
    try {
      onChange(await call('map.updateSettings', { tileUrl, attribution }));
      setIssues({});
      setStatus(tileUrl ? 'Saved. Tiles you view while online are kept for offline use.' : 'Saved. No online tiles: the map uses the basemap and your map packs.');
    } catch (error) {
      const fieldIssues = issuesOf(error);
      setIssues(fieldIssues);
      setStatus(Object.keys(fieldIssues).length ? '' : errorMessage(error));
    }
  };

  const clear = async () => {
    onChange(await call('map.clearTileCache', {}));
    setStatus('Cached tiles removed.');
  };

  return (
    <details className="map-panel-section">
      <summary>Online tiles</summary>
      <p className="field-hint">
        Where this device is online, tiles you look at can come from a tile server and are kept for offline use. Only the tiles you view are fetched —
        never a whole area in advance: the OpenStreetMap tile usage policy forbids bulk downloading from its servers. Use a tile server your
        organisation may use, and credit it.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <TextField path="tileUrl" label="Tile address" value={tileUrl} onChange={setTileUrl} error={issues.tileUrl} hint="With {z}, {x} and {y}, e.g. https://tiles.example.org/{z}/{x}/{y}.png. Leave empty for none." />
        <TextField path="attribution" label="Credit shown on the map" value={attribution} onChange={setAttribution} error={issues.attribution} />
        <div className="map-settings-actions">
          <button type="submit" className="button button--small">
            Save
          </button>
          <button type="button" className="button button--small button--ghost" onClick={() => void clear()} disabled={settings.cachedTiles === 0}>
            Remove cached tiles
          </button>
        </div>
      </form>
      <p className="muted">
        {settings.cachedTiles.toLocaleString('en-GB')} tiles kept for offline use ({(settings.cachedBytes / 1024 ** 2).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB).
      </p>
      <p role="status" className="muted">
        {status}
      </p>
    </details>
  );
}
