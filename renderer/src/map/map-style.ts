// The map's style: the bundled basemap (sea, land, borders, place names; see basemap.ts), then the online
// tiles and map packs over it where they have tiles, then the assets, coloured by category.
// No glyphs URL: maplibre draws label text locally (TinySDF), so nothing is fetched.
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { ASSET_CATEGORIES, type AssetCategory } from '../../../shared/domain';
import type { MapPack, MapSettings } from '../../../shared/rpc-map';

/** Okabe–Ito colours: told apart with the common kinds of colour blindness. */
export const CATEGORY_COLOURS: Record<AssetCategory, string> = {
  individual: '#E69F00',
  association: '#56B4E9',
  institution: '#0072B2',
  physical: '#009E73',
  economic: '#CC79A7',
  cultural: '#D55E00',
};

export const ASSETS_SOURCE = 'assets';
export const ASSET_POINTS_LAYER = 'asset-points';
export const ASSET_CLUSTERS_LAYER = 'asset-clusters';
/** Scheme of the tile URLs the data service answers (see tile-protocol.ts). */
export const TILE_PROTOCOL = 'fieldbook-tile';

/** The bundled basemap's last zoom with detail of its own (coasts, borders, towns; no streets at any zoom). */
export const BASEMAP_DETAIL_MAX_ZOOM = 10;

const SEA = '#cfe3ec';
const LAND = '#f4f2ea';
const BORDER = '#a39e93';
const LABEL = '#3c4440';

const basemapLayers: LayerSpecification[] = [
  { id: 'sea', type: 'background', paint: { 'background-color': SEA } },
  { id: 'land', type: 'fill', source: 'basemap', 'source-layer': 'land', paint: { 'fill-color': LAND } },
  { id: 'land-detail', type: 'fill', source: 'basemap-detail', 'source-layer': 'land', paint: { 'fill-color': LAND } },
];

const overlayLayers: LayerSpecification[] = [
  { id: 'borders', type: 'line', source: 'basemap', 'source-layer': 'border', paint: { 'line-color': BORDER, 'line-width': 1, 'line-dasharray': [3, 2] } },
  {
    id: 'places',
    type: 'symbol',
    source: 'basemap',
    'source-layer': 'place',
    filter: ['<=', ['get', 'rank'], ['step', ['zoom'], 1, 4, 2, 6, 3, 8, 4]],
    layout: {
      'text-field': ['get', 'name'],
      'text-font': ['sans-serif'],
      'text-size': ['match', ['get', 'rank'], 1, 15, 2, 14, 3, 13, 12],
      'symbol-sort-key': ['-', 0, ['get', 'population']],
      'text-padding': 4,
    },
    paint: { 'text-color': LABEL, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  },
];

const categoryColour: unknown[] = ['match', ['get', 'c'], ...ASSET_CATEGORIES.flatMap((c, i) => [i, CATEGORY_COLOURS[c]]), '#555'];

const assetLayers: LayerSpecification[] = [
  {
    id: ASSET_CLUSTERS_LAYER,
    type: 'circle',
    source: ASSETS_SOURCE,
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#1d6a4e',
      'circle-opacity': 0.85,
      'circle-radius': ['step', ['get', 'point_count'], 14, 10, 18, 100, 24, 1000, 30],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  },
  {
    id: 'asset-cluster-counts',
    type: 'symbol',
    source: ASSETS_SOURCE,
    filter: ['has', 'point_count'],
    layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': ['sans-serif'], 'text-size': 13, 'text-allow-overlap': true },
    paint: { 'text-color': '#ffffff' },
  },
  {
    id: ASSET_POINTS_LAYER,
    type: 'circle',
    source: ASSETS_SOURCE,
    filter: ['!', ['has', 'point_count']],
    // A rough position never hides an exact one drawn at the same spot.
    layout: { 'circle-sort-key': ['-', 1, ['get', 'a']] as never },
    paint: {
      // Placed roughly from a postcode: a ring in the category's colour instead of a dot.
      'circle-color': ['case', ['==', ['get', 'a'], 1], '#ffffff', categoryColour] as never,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 5, 16, 9],
      'circle-stroke-color': ['case', ['==', ['get', 'a'], 1], categoryColour, '#ffffff'] as never,
      'circle-stroke-width': ['case', ['==', ['get', 'a'], 1], 2.5, 1.5] as never,
    },
  },
  {
    id: 'asset-names',
    type: 'symbol',
    source: ASSETS_SOURCE,
    minzoom: 14,
    filter: ['!', ['has', 'point_count']],
    layout: {
      'text-field': ['get', 'n'],
      'text-font': ['sans-serif'],
      'text-size': 12,
      'text-anchor': 'left',
      'text-offset': [0.9, 0],
      'text-optional': true,
      'text-max-width': 12,
    },
    paint: { 'text-color': LABEL, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  },
];

function packSource(pack: MapPack): SourceSpecification {
  const common = {
    tiles: [`${TILE_PROTOCOL}://pack/${pack.id}/{z}/{x}/{y}`],
    minzoom: pack.minZoom,
    maxzoom: pack.maxZoom,
    bounds: pack.bounds,
    attribution: pack.attribution,
  };
  return pack.tileType === 'pbf' ? { type: 'vector', ...common } : { type: 'raster', tileSize: 256, ...common };
}

/** Raster packs are drawn as they are; vector packs with a plain style of every layer they hold. */
function packLayers(pack: MapPack): LayerSpecification[] {
  const source = `pack-${pack.id}`;
  if (pack.tileType !== 'pbf') return [{ id: `${source}-raster`, type: 'raster', source }];
  return pack.vectorLayers.flatMap((layer): LayerSpecification[] => [
    { id: `${source}-${layer}-fill`, type: 'fill', source, 'source-layer': layer, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#e6e4da', 'fill-outline-color': '#c9c5b8' } },
    { id: `${source}-${layer}-line`, type: 'line', source, 'source-layer': layer, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#bdb6a6', 'line-width': 1 } },
  ]);
}

export function buildStyle(packs: MapPack[], settings: MapSettings | null, assets: GeoJSON.FeatureCollection): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    // Past their last zoom the tiles are drawn larger: the data holds no finer detail.
    basemap: { type: 'vector', tiles: [`${TILE_PROTOCOL}://basemap/world/{z}/{x}/{y}`], maxzoom: 6, attribution: 'Natural Earth; GeoNames' },
    'basemap-detail': { type: 'vector', tiles: [`${TILE_PROTOCOL}://basemap/detail/{z}/{x}/{y}`], maxzoom: BASEMAP_DETAIL_MAX_ZOOM, bounds: [-11, 49.8, 2, 61] },
    [ASSETS_SOURCE]: { type: 'geojson', data: assets, cluster: true, clusterRadius: 32, clusterMaxZoom: 13 },
  };
  const layers: LayerSpecification[] = [...basemapLayers];
  if (settings?.tileUrl) {
    sources.online = { type: 'raster', tiles: [`${TILE_PROTOCOL}://online/{z}/{x}/{y}`], tileSize: 256, maxzoom: 19, attribution: settings.attribution };
    layers.push({ id: 'online-raster', type: 'raster', source: 'online' });
  }
  for (const pack of packs) {
    sources[`pack-${pack.id}`] = packSource(pack);
    layers.push(...packLayers(pack));
  }
  return { version: 8, sources, layers: [...layers, ...overlayLayers, ...assetLayers] };
}

/**
 * Whether the map at this view draws only the bundled basemap, zoomed past its detail (so
 * nearly blank): no online tiles are set and no map pack's area holds the view's centre.
 */
export function onlyBasemapBeyondItsDetail(zoom: number, [lon, lat]: [number, number], packs: MapPack[], settings: MapSettings | null): boolean {
  if (zoom <= BASEMAP_DETAIL_MAX_ZOOM || settings?.tileUrl) return false;
  return !packs.some(({ bounds: [west, south, east, north], minZoom }) => zoom >= minZoom && lon >= west && lon <= east && lat >= south && lat <= north);
}
