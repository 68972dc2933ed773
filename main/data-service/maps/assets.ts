// The assets the map draws, read from the projection in one query and packed into
// parallel arrays: 10,000 placed assets cost one round trip and a few hundred kilobytes.
import type { Database } from 'better-sqlite3';
import { ASSET_CATEGORIES } from '../../../shared/domain';
import { UNPLACED_LISTED, type MapAssets } from '../../../shared/rpc-map';

interface AssetRow {
  id: string;
  title: string;
  category: string;
  badges: string;
  lon: number | null;
  lat: number | null;
  postcode: string | null;
}

export function mapAssets(db: Database): MapAssets {
  const rows = db
    .prepare(
      `SELECT id, title, category, badges,
              json_extract(data, '$.location.lon') AS lon, json_extract(data, '$.location.lat') AS lat,
              json_extract(data, '$.postcode') AS postcode
         FROM records WHERE kind = 'asset' AND status = 'active' ORDER BY sort_key, id`,
    )
    .all() as AssetRow[];
  const result: MapAssets = { ids: [], names: [], categories: [], lon: [], lat: [], themes: [], themeNames: [], unplaced: { total: 0, first: [] } };
  const themeIndex = new Map<string, number>();
  const indexOfTheme = (theme: string) => {
    let index = themeIndex.get(theme);
    if (index === undefined) {
      index = result.themeNames.push(theme) - 1;
      themeIndex.set(theme, index);
    }
    return index;
  };
  for (const row of rows) {
    if (row.lon === null || row.lat === null) {
      result.unplaced.total++;
      if (result.unplaced.first.length < UNPLACED_LISTED) result.unplaced.first.push({ id: row.id, name: row.title, postcode: row.postcode ?? '' });
      continue;
    }
    result.ids.push(row.id);
    result.names.push(row.title);
    result.categories.push(ASSET_CATEGORIES.indexOf(row.category as (typeof ASSET_CATEGORIES)[number]));
    result.lon.push(row.lon);
    result.lat.push(row.lat);
    result.themes.push((JSON.parse(row.badges) as string[]).map(indexOfTheme));
  }
  return result;
}
