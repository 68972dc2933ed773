// Map packs: import a PMTiles or MBTiles file for the area (sent to the data service in
// chunks, with progress, cancellable), list the packs on this device, remove one.
import { useRef, useState } from 'react';
import { PACK_CHUNK_BYTES, type MapPack } from '../../../shared/rpc-map';
import { call, errorMessage } from '../app/connection';
import { formatDate, formatMegabytes } from '../../../shared/format';
import { issuesOf } from '../lib/issues';
import { base64Chunks } from '../lib/read-file';

/** The file input that imports a pack, for the map's "Add a map pack" button to take the user to. */
export const PACK_FILE_INPUT_ID = 'map-pack-file';

interface Progress {
  fileName: string;
  sent: number;
  total: number;
}

export function MapPacks({ packs, onChange }: { packs: MapPack[]; onChange: (packs: MapPack[]) => void }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const cancelled = useRef(false);
  const input = useRef<HTMLInputElement>(null);

  const importFile = async (file: File) => {
    cancelled.current = false;
    setMessage(null);
    setProgress({ fileName: file.name, sent: 0, total: file.size });
    let uploadId: string | null = null;
    try {
      ({ uploadId } = await call('map.packImportStart', { fileName: file.name, bytes: file.size }));
      for await (const { offset, data } of base64Chunks(file, PACK_CHUNK_BYTES)) {
        if (cancelled.current) {
          await call('map.packImportCancel', { uploadId });
          setMessage({ error: false, text: `Import of ${file.name} cancelled; nothing was kept.` });
          return;
        }
        const { received } = await call('map.packImportChunk', { uploadId, offset, data });
        setProgress({ fileName: file.name, sent: received, total: file.size });
      }
      const pack = await call('map.packImportFinish', { uploadId });
      onChange(await call('map.packs', {}));
      setMessage({ error: false, text: `Imported “${pack.name}”: zoom ${pack.minZoom}–${pack.maxZoom}, used offline from now on.` });
    } catch (error) {
      if (uploadId) void call('map.packImportCancel', { uploadId }).catch(() => undefined);
      // A refused file: the message names the file and what is wrong with it.
      setMessage({ error: true, text: issuesOf(error).file ?? errorMessage(error) });
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };

  const remove = async (pack: MapPack) => {
    try {
      onChange(await call('map.packRemove', { id: pack.id }));
      setMessage({ error: false, text: `Removed “${pack.name}”.` });
    } catch (error) {
      setMessage({ error: true, text: errorMessage(error) });
    }
  };

  return (
    <section className="map-panel-section" aria-labelledby="map-packs-heading">
      <h2 id="map-packs-heading">Map packs</h2>
      <p className="field-hint">
        A detailed map of your area as a PMTiles or MBTiles file (from your organisation or made with a tool such as QGIS). It is kept on this device
        and used offline.
      </p>
      <div className="field">
        <label htmlFor={PACK_FILE_INPUT_ID}>Import a map pack</label>
        <input
          ref={input}
          id={PACK_FILE_INPUT_ID}
          type="file"
          accept=".pmtiles,.mbtiles"
          disabled={progress !== null}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void importFile(file);
          }}
        />
      </div>
      {progress && (
        <div className="map-import-progress">
          <label htmlFor="map-pack-progress">
            Importing {progress.fileName}: {formatMegabytes(progress.sent)} of {formatMegabytes(progress.total)}
          </label>
          <progress id="map-pack-progress" max={progress.total} value={progress.sent} />
          <button type="button" className="button button--small" onClick={() => (cancelled.current = true)}>
            Cancel import
          </button>
        </div>
      )}
      <p role={message?.error ? 'alert' : 'status'} className={message?.error ? 'banner banner--error' : 'muted'}>
        {message?.text}
      </p>
      {packs.length > 0 && (
        <ul className="map-pack-list" aria-label="Map packs on this device">
          {packs.map((pack) => (
            <li key={pack.id}>
              <span>
                <strong>{pack.name}</strong>
                <span className="muted">
                  {' '}
                  · {pack.format === 'pmtiles' ? 'PMTiles' : 'MBTiles'}, zoom {pack.minZoom}–{pack.maxZoom}, {formatMegabytes(pack.bytes)}, imported {formatDate(pack.importedAt.slice(0, 10))}
                </span>
              </span>
              <button type="button" className="button button--small button--ghost" onClick={() => void remove(pack)} aria-label={`Remove map pack ${pack.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
