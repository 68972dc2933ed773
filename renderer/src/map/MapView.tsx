// The asset map: maplibre over the bundled basemap and any map packs, assets clustered
// and coloured by category, filters, "assets near here" for the visible area, the assets
// not yet placed, and placing one asset (`#/map/<assetId>`) by clicking, dragging its pin
// or, from the keyboard, at the centre of the map. Zoomed in where only the bundled basemap
// draws, the map says so and how to add a map pack.
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ASSET_CATEGORIES, type Location } from '../../../shared/domain';
import type { ApproximateFrom, MapAssets, MapPack, MapSettings } from '../../../shared/rpc-map';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { href, navigate, recordHref } from '../app/router';
import { formatCount, humanize } from '../../../shared/format';
import { changesRecords } from '../lib/record-events';
import { MapPacks } from './MapPacks';
import { ASSET_CLUSTERS_LAYER, ASSET_POINTS_LAYER, ASSETS_SOURCE, buildStyle, CATEGORY_COLOURS, onlyBasemapBeyondItsDetail } from './map-style';
import { NoStreetMapNotice } from './NoStreetMapNotice';
import './map.css';
import { registerTileProtocol } from './tile-protocol';
import { TileSourceSettings } from './TileSourceSettings';

// The worker is served from the app's own origin: no blob: or remote script is needed.
maplibregl.setWorkerUrl(new URL(workerUrl, window.location.href).href);
// Start the workers while the assets are still on their way.
maplibregl.prewarm();

/** Most assets listed under "Assets near here"; the nearest to the map's centre first. */
const NEAR_LISTED = 50;
const BRITAIN: { center: [number, number]; zoom: number } = { center: [-2.6, 54.3], zoom: 4.6 };

interface Placing {
  id: string;
  name: string;
  location: Location | null;
}

type Bounds = [number, number, number, number];

const formatPosition = ({ lat, lon }: Location) => `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
/** Metre precision: as many decimals as the position shown. */
const roundToMetre = (n: number) => Math.round(n * 1e5) / 1e5;

/** Indexes of the assets the filters let through. */
function visibleIndexes(assets: MapAssets, categories: ReadonlySet<number>, theme: number | null): number[] {
  const shown: number[] = [];
  for (let i = 0; i < assets.ids.length; i++) {
    if (!categories.has(assets.categories[i]!)) continue;
    if (theme !== null && !assets.themes[i]!.includes(theme)) continue;
    shown.push(i);
  }
  return shown;
}

function toGeoJson(assets: MapAssets | null, indexes: number[], approximate: Map<number, ApproximateFrom>): GeoJSON.FeatureCollection {
  if (!assets) return { type: 'FeatureCollection', features: [] };
  return {
    type: 'FeatureCollection',
    features: indexes.map((i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [assets.lon[i]!, assets.lat[i]!] },
      // `a`: drawn where others with its postcode are (map-style.ts shows it hollow).
      properties: { i, c: assets.categories[i], n: assets.names[i], a: approximate.has(i) ? 1 : 0 },
    })),
  };
}

function initialView(assets: MapAssets, placing: Placing | null): maplibregl.LngLatBounds | { center: [number, number]; zoom: number } {
  if (placing?.location) return { center: [placing.location.lon, placing.location.lat], zoom: 15 };
  if (assets.ids.length === 0) return BRITAIN;
  const bounds = new maplibregl.LngLatBounds();
  for (let i = 0; i < assets.ids.length; i++) bounds.extend([assets.lon[i]!, assets.lat[i]!]);
  return bounds;
}

/** The placed asset behind a route's id: merged-away ids stand for their survivor. */
async function assetToPlace(id: string): Promise<Placing> {
  let record = await call('record.get', { kind: 'asset', id });
  for (let hops = 0; record.mergedInto && hops < 10; hops++) record = await call('record.get', { kind: 'asset', id: record.mergedInto });
  if (record.kind !== 'asset') throw new Error(`${id} is not an asset`);
  return { id: record.id, name: record.data.name, location: record.data.location };
}

export default function MapView({ placeId }: { placeId: string | null }) {
  const [assets, setAssets] = useState<MapAssets | null>(null);
  const [packs, setPacks] = useState<MapPack[] | null>(null);
  const [settings, setSettings] = useState<MapSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [categories, setCategories] = useState<ReadonlySet<number>>(() => new Set(ASSET_CATEGORIES.map((_, i) => i)));
  const [theme, setTheme] = useState<number | null>(null);
  const [bounds, setBounds] = useState<Bounds | null>(null);
  const [center, setCenter] = useState<[number, number]>(BRITAIN.center);
  const [zoom, setZoom] = useState(BRITAIN.zoom);
  const [noticeFolded, setNoticeFolded] = useState(false);
  const [placing, setPlacing] = useState<Placing | null>(null);
  const [placeStatus, setPlaceStatus] = useState('');
  const [mapError, setMapError] = useState<string | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const markerRef = useRef<maplibregl.Marker | null>(null);
  // The map's event handlers are registered once; these give them the current values.
  const placingRef = useRef<Placing | null>(null);
  placingRef.current = placing;
  const mapAssetsRef = useRef<MapAssets | null>(null);
  mapAssetsRef.current = assets;

  const shown = useMemo(() => (assets ? visibleIndexes(assets, categories, theme) : []), [assets, categories, theme]);
  const approximate = useMemo(() => new Map((assets?.approximate ?? []).map((a) => [a.index, a.from])), [assets]);
  const geojson = useMemo(() => toGeoJson(assets, shown, approximate), [assets, shown, approximate]);

  // Load what the map shows, and keep the assets current while records change.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loadAssets = () => call('map.assets', {}).then(setAssets, (e) => setError(errorMessage(e)));
    Promise.all([call('map.packs', {}), call('map.settings', {})]).then(([p, s]) => {
      setPacks(p);
      setSettings(s);
    }, (e) => setError(errorMessage(e)));
    void loadAssets();
    const off = onServiceEvent((event) => {
      if (!changesRecords(event, ['asset'])) return;
      clearTimeout(timer);
      timer = setTimeout(() => void loadAssets(), 300);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    setPlaceStatus('');
    if (!placeId) return setPlacing(null);
    assetToPlace(placeId).then(setPlacing, (e) => setError(errorMessage(e)));
  }, [placeId]);

  const ready = assets !== null && packs !== null && settings !== null && (placeId === null || placing?.id !== undefined);

  // Create the map once everything it first shows has arrived.
  useEffect(() => {
    if (!ready || mapRef.current || !container.current) return;
    registerTileProtocol();
    let map: MapLibreMap;
    try {
      const view = initialView(assets, placingRef.current);
      map = new maplibregl.Map({
        container: container.current,
        style: buildStyle(packs, settings, geojson),
        ...(view instanceof maplibregl.LngLatBounds ? { bounds: view, fitBoundsOptions: { padding: 40, maxZoom: 14 } } : view),
        attributionControl: { compact: true },
        maxZoom: 19,
        // Labels appear at once rather than fading in over 300 ms.
        fadeDuration: 0,
      });
    } catch (e) {
      setMapError(`The map cannot be drawn on this device (${errorMessage(e)}). The lists beside it still work.`);
      return;
    }
    mapRef.current = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    const updateView = () => {
      const b = map.getBounds();
      setBounds([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
      const c = map.getCenter();
      setCenter([c.lng, c.lat]);
      setZoom(map.getZoom());
    };
    map.on('moveend', updateView);
    map.once('load', updateView);
    map.once('idle', () => container.current?.setAttribute('data-map-state', 'ready'));
    // A tile missing from a pack is normal; other failures are reported beside the map.
    map.on('error', (event) => {
      if ('sourceId' in event && event.sourceId !== ASSETS_SOURCE) return;
      setMapError(errorMessage(event.error));
    });
    map.on('click', ASSET_CLUSTERS_LAYER, (event) => {
      if (placingRef.current) return;
      const feature = event.features?.[0];
      const clusterId = feature?.properties?.cluster_id as number | undefined;
      if (clusterId === undefined || feature?.geometry.type !== 'Point') return;
      void (map.getSource(ASSETS_SOURCE) as GeoJSONSource).getClusterExpansionZoom(clusterId).then((zoom) =>
        map.easeTo({ center: (feature.geometry as GeoJSON.Point).coordinates as [number, number], zoom }),
      );
    });
    map.on('click', ASSET_POINTS_LAYER, (event) => {
      if (placingRef.current) return;
      const index = event.features?.[0]?.properties?.i as number | undefined;
      const id = index === undefined ? undefined : mapAssetsRef.current?.ids[index];
      if (id) navigate(recordHref('asset', id));
    });
    map.on('click', (event) => {
      if (placingRef.current) void placeRef.current({ lat: event.lngLat.lat, lon: event.lngLat.lng });
    });
    for (const layer of [ASSET_POINTS_LAYER, ASSET_CLUSTERS_LAYER]) {
      map.on('mouseenter', layer, () => !placingRef.current && (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
    return undefined;
    // Created once; later changes go through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready]);

  useEffect(
    () => () => {
      mapRef.current?.remove();
      mapRef.current = null;
      markerRef.current = null;
    },
    [],
  );

  // Filters and reloaded assets: new data for the clustered source.
  useEffect(() => {
    (mapRef.current?.getSource(ASSETS_SOURCE) as GeoJSONSource | undefined)?.setData(geojson);
  }, [geojson]);

  // A pack imported or removed, or the online source changed: the style again (maplibre applies only the difference).
  const packKey = JSON.stringify([packs?.map((p) => p.id), settings?.tileUrl, settings?.attribution]);
  useEffect(() => {
    const map = mapRef.current;
    if (map && packs && settings) map.setStyle(buildStyle(packs, settings, geojson));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [packKey]);

  const place = async (location: Location) => {
    const target = placingRef.current;
    if (!target) return;
    const rounded = { lat: roundToMetre(location.lat), lon: roundToMetre(location.lon) };
    try {
      await call('record.update', { kind: 'asset', id: target.id, patch: { location: rounded } });
      setPlacing({ ...target, location: rounded });
      setPlaceStatus(`“${target.name}” placed at ${formatPosition(rounded)}.`);
    } catch (e) {
      setPlaceStatus(`“${target.name}” was not placed: ${errorMessage(e)}`);
    }
  };
  const placeRef = useRef(place);
  placeRef.current = place;

  // The pin of the asset being placed: drag it to move the asset.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !placing?.location) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) {
      const marker = new maplibregl.Marker({ draggable: true, color: '#a8261d' });
      marker.on('dragend', () => {
        const { lat, lng } = marker.getLngLat();
        void placeRef.current({ lat, lon: lng });
      });
      markerRef.current = marker;
    }
    markerRef.current.setLngLat([placing.location.lon, placing.location.lat]).addTo(map);
    markerRef.current.getElement().setAttribute('aria-label', `Pin of ${placing.name}: drag to move it`);
  }, [placing, ready]);

  const near = useMemo(() => {
    if (!assets || !bounds) return { inView: 0, nearest: [] as number[] };
    const [west, south, east, north] = bounds;
    const inView = shown.filter((i) => assets.lon[i]! >= west && assets.lon[i]! <= east && assets.lat[i]! >= south && assets.lat[i]! <= north);
    const distance = (i: number) => (assets.lon[i]! - center[0]) ** 2 * Math.cos((center[1] * Math.PI) / 180) ** 2 + (assets.lat[i]! - center[1]) ** 2;
    const nearest = inView
      .map((i) => [i, distance(i)] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, NEAR_LISTED)
      .map(([i]) => i);
    return { inView: inView.length, nearest };
  }, [assets, shown, bounds, center]);

  const categoryCounts = useMemo(() => {
    const counts = ASSET_CATEGORIES.map(() => 0);
    if (assets) for (const c of assets.categories) counts[c] = (counts[c] ?? 0) + 1;
    return counts;
  }, [assets]);

  const toggleCategory = (index: number) =>
    setCategories((current) => {
      const next = new Set(current);
      if (!next.delete(index)) next.add(index);
      return next;
    });

  if (error) {
    return (
      <p className="banner banner--error" role="alert">
        The map could not be loaded: {error}
      </p>
    );
  }

  return (
    <div className="map-layout">
      <div className="map-main">
        {placing && (
          <div className="map-placing banner banner--warning" role="region" aria-label="Placing an asset">
            <p>
              Placing <strong>{placing.name}</strong>: click the map where it is{placing.location ? ', or drag its pin' : ''}.
              {placing.location ? ` Now at ${formatPosition(placing.location)}.` : ' Not yet placed.'}
            </p>
            <div className="map-placing-actions">
              <button
                type="button"
                className="button button--small"
                onClick={() => void place({ lat: center[1], lon: center[0] })}
                disabled={!mapRef.current}
              >
                Place at the centre of the map
              </button>
              <a className="button button--small button--ghost" href={recordHref('asset', placing.id)}>
                Open asset
              </a>
              <a className="button button--small button--ghost" href={href('map')}>
                Done
              </a>
            </div>
            <p role="status" className="map-place-status">
              {placeStatus}
            </p>
          </div>
        )}
        {mapError && (
          <p className="banner banner--error" role="alert">
            {mapError}
          </p>
        )}
        <div className="map-canvas-wrap">
          <div ref={container} className={`map-canvas${placing ? ' map-canvas--placing' : ''}`} aria-label="Map of assets" role="region" data-map-state="loading" />
          {/* A live region from the start, so the notice is announced when zooming in brings it. */}
          <div role="status" className="map-detail-status">
            {bounds && packs && onlyBasemapBeyondItsDetail(zoom, center, packs, settings) && (
              <NoStreetMapNotice center={center} folded={noticeFolded} onFold={setNoticeFolded} />
            )}
          </div>
        </div>
      </div>
      <aside className="map-panel" aria-label="Map filters and lists">
        <fieldset className="map-panel-section map-filters">
          <legend>Categories</legend>
          {ASSET_CATEGORIES.map((category, i) => (
            <label key={category} className="map-filter">
              <input type="checkbox" checked={categories.has(i)} onChange={() => toggleCategory(i)} />
              <span className="map-swatch" style={{ background: CATEGORY_COLOURS[category] }} aria-hidden="true" />
              {humanize(category)} <span className="muted">({(categoryCounts[i] ?? 0).toLocaleString('en-GB')})</span>
            </label>
          ))}
        </fieldset>
        <div className="field map-panel-section">
          <label htmlFor="map-theme">Theme</label>
          <select id="map-theme" value={theme ?? ''} onChange={(e) => setTheme(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">All themes</option>
            {assets?.themeNames
              .map((name, i) => [name, i] as const)
              .sort((a, b) => a[0].localeCompare(b[0]))
              .map(([name, i]) => (
                <option key={name} value={i}>
                  {humanize(name)}
                </option>
              ))}
          </select>
        </div>
        <section className="map-panel-section" aria-labelledby="near-heading">
          <h2 id="near-heading">Assets near here</h2>
          <p className="muted" role="status">
            {assets ? `${formatCount(near.inView, 'asset')} in view${near.inView > NEAR_LISTED ? `; the ${NEAR_LISTED} nearest the centre are listed` : ''}.` : 'Loading…'}
          </p>
          <ul className="map-near-list" aria-labelledby="near-heading">
            {assets &&
              near.nearest.map((i) => (
                <li key={assets.ids[i]}>
                  <span className="map-swatch" style={{ background: CATEGORY_COLOURS[ASSET_CATEGORIES[assets.categories[i]!]!] }} aria-hidden="true" />
                  <a href={recordHref('asset', assets.ids[i]!)}>{assets.names[i]}</a>
                  <span className="muted">
                    {' '}
                    · {humanize(ASSET_CATEGORIES[assets.categories[i]!]!)}
                    {approximate.has(i) && ` · roughly, from its ${approximate.get(i)}`}
                  </span>
                </li>
              ))}
          </ul>
        </section>
        {assets && (
          <details className="map-panel-section" open={assets.unplaced.total > 0 && assets.ids.length === 0}>
            <summary>Not yet placed ({assets.unplaced.total.toLocaleString('en-GB')})</summary>
            <p className="field-hint">
              Assets without a location, and without a postcode that other placed assets share (those are drawn hollow, roughly where their
              neighbours are, until someone places them).
            </p>
            <ul className="map-unplaced-list">
              {assets.unplaced.first.map((asset) => (
                <li key={asset.id}>
                  <a href={recordHref('asset', asset.id)}>{asset.name}</a>
                  {asset.postcode && <span className="muted"> · {asset.postcode}</span>}{' '}
                  <a href={href('map', asset.id)} aria-label={`Place ${asset.name} on the map`}>
                    Place on map
                  </a>
                </li>
              ))}
            </ul>
            {assets.unplaced.total > assets.unplaced.first.length && (
              <p className="muted">and {(assets.unplaced.total - assets.unplaced.first.length).toLocaleString('en-GB')} more.</p>
            )}
          </details>
        )}
        {packs && <MapPacks packs={packs} onChange={setPacks} />}
        {settings && <TileSourceSettings settings={settings} onChange={setSettings} />}
      </aside>
    </div>
  );
}
