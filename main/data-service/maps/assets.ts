// The assets the map draws, read from the projection in one query and packed into
// parallel arrays: 10,000 placed assets cost one round trip and a few hundred kilobytes.
//
// No npm package carries UK postcode centroids, so an asset with a postcode and no
// coordinates is placed approximately from the workspace's own data: where the placed
// assets sharing its postcode are, else its postcode sector (M14 5), else its district (M14).
import { ASSET_CATEGORIES } from '../../../shared/domain';
import type { MapAssetRow } from '../read/screens';
import type { Workspace } from '../workspace';
import { UNPLACED_LISTED, type ApproximateFrom, type MapAssets } from '../../../shared/rpc-map';


/** A UK postcode's full form, sector and district, without spaces ("M145TQ", "M145", "M14"); null if it is not one. */
export function postcodeKeys(postcode: string): Record<ApproximateFrom, string> | null {
  const compact = postcode.toUpperCase().replace(/[^0-9A-Z]/g, '');
  const match = /^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9])([A-Z]{2})$/.exec(compact);
  if (!match) return null;
  const [, district, sectorDigit] = match as unknown as [string, string, string, string];
  return { postcode: compact, 'postcode sector': `${district}${sectorDigit}`, 'postcode district': district };
}

const LEVELS: ApproximateFrom[] = ['postcode', 'postcode sector', 'postcode district'];

/** The middle of the positions (a stray one does not drag it), to 6 decimals (~10 cm). */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 1e6) / 1e6;
};

export function mapAssets(ws: Workspace): MapAssets {
  const rows = ws.queries.mapAssetRows();
  const result: MapAssets = {
    ids: [],
    names: [],
    categories: [],
    lon: [],
    lat: [],
    themes: [],
    themeNames: [],
    approximate: [],
    unplaced: { total: 0, first: [] },
  };
  const themeIndex = new Map<string, number>();
  const indexOfTheme = (theme: string) => {
    let index = themeIndex.get(theme);
    if (index === undefined) {
      index = result.themeNames.push(theme) - 1;
      themeIndex.set(theme, index);
    }
    return index;
  };
  const add = (row: MapAssetRow, lon: number, lat: number) => {
    result.ids.push(row.id);
    result.names.push(row.title);
    result.categories.push(ASSET_CATEGORIES.indexOf(row.category as (typeof ASSET_CATEGORIES)[number]));
    result.lon.push(lon);
    result.lat.push(lat);
    result.themes.push((JSON.parse(row.badges) as string[]).map(indexOfTheme));
    return result.ids.length - 1;
  };

  // Where the placed assets of each postcode, sector and district are.
  const placedBy = new Map<string, { lon: number[]; lat: number[] }>();
  const unplaced: MapAssetRow[] = [];
  for (const row of rows) {
    if (row.lon === null || row.lat === null) {
      unplaced.push(row);
      continue;
    }
    add(row, row.lon, row.lat);
    const keys = row.postcode ? postcodeKeys(row.postcode) : null;
    for (const level of LEVELS) {
      if (!keys) break;
      const group = placedBy.get(`${level}:${keys[level]}`) ?? { lon: [], lat: [] };
      group.lon.push(row.lon);
      group.lat.push(row.lat);
      placedBy.set(`${level}:${keys[level]}`, group);
    }
  }
  for (const row of unplaced) {
    const keys = row.postcode ? postcodeKeys(row.postcode) : null;
    const level = keys && LEVELS.find((l) => placedBy.has(`${l}:${keys[l]}`));
    if (keys && level) {
      const group = placedBy.get(`${level}:${keys[level]}`)!;
      result.approximate.push({ index: add(row, median(group.lon), median(group.lat)), from: level });
      continue;
    }
    result.unplaced.total++;
    if (result.unplaced.first.length < UNPLACED_LISTED) result.unplaced.first.push({ id: row.id, name: row.title, postcode: row.postcode ?? '' });
  }
  return result;
}
