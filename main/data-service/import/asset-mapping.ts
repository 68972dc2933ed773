// From a spreadsheet's columns to asset drafts: columns guessed from their names, a category
// read from the row's own words (a "club" is an association, a "café" economic) or else the
// one chosen for the batch, a location from latitude and longitude columns, and every problem
// named by row and field. A value the asset cannot hold where it was mapped is kept in its
// description, as a contact's is in its notes.
import { CREATE_INPUT, type CreateInput } from '../../../shared/domain';
import { ASSET_CATEGORIES, type AssetCategory } from '../../../shared/kinds/asset';
import type { AssetTarget } from '../../../shared/rpc-import';
import { checkDraft, guessTargets, headerWords, splitMulti, type RowResult } from './row-rules';

const RULES: [RegExp, AssetTarget][] = [
  [/^(lat|latitude|y)$/, 'latitude'],
  [/^(lon|lng|long|longitude|x)$/, 'longitude'],
  [/\b(opening|hours|times|availability|when open|open)\b/, 'availability'],
  [/\b(post ?code|postal code|zip)\b/, 'postcode'],
  [/\b(category|type|kind of asset|asset type)\b/, 'category'],
  [/\b(description|about|details|notes?|what it offers)\b/, 'description'],
  [/\b(address|street|town|city|locality)\b/, 'address'],
  [/\b(themes?|tags?|interests?)\b/, 'themes'],
  [/\b(name|asset|title|organisation|organization|group|place)\b/, 'name'],
];

export const guessAssetMapping = (headers: string[]) => guessTargets<AssetTarget>(headers, RULES, 'skip', ['name', 'category', 'latitude', 'longitude']);

/** Words people use for each category, beside its own name. */
const CATEGORY_WORDS: Record<AssetCategory, RegExp> = {
  individual: /\b(individual|person|people|gift|skill|volunteer)s?\b/,
  association: /\b(association|group|club|society|network|circle|choir|team)s?\b/,
  institution: /\b(institution|school|gp|surgery|library|council|service|college|nhs|hospital|police|church)s?\b/,
  physical: /\b(physical|place|building|hall|park|garden|allotment|green space|land|venue|space|centre|center)s?\b/,
  economic: /\b(economic|business|shop|cafe|café|market|time ?bank|pub|enterprise|employer)s?\b/,
  cultural: /\b(cultural|culture|heritage|history|tradition|festival|story|stories|art|arts|music)\b/,
};

export function categoryFromWords(words: string): AssetCategory | null {
  const text = headerWords(words);
  if ((ASSET_CATEGORIES as readonly string[]).includes(text)) return text as AssetCategory;
  return ASSET_CATEGORIES.find((c) => CATEGORY_WORDS[c].test(text)) ?? null;
}

/** One row as an asset draft with its problems; `batchCategory` stands in where the row names none the app knows. */
export function assetFromRow(targets: AssetTarget[], cells: string[], line: number, batchCategory: AssetCategory | null): RowResult<'asset'> {
  const problems: string[] = [];
  const kept: string[] = [];
  const values = (target: AssetTarget) => targets.flatMap((t, i) => (t === target ? splitMulti((cells[i] ?? '').replace(/\r\n?/g, '\n')) : []));
  const name = values('name').join(' ');
  if (!name) return { line, data: null, problems: ['has no name: map a column to Name'] };

  const categoryWords = values('category').join(' ');
  let category = categoryWords ? categoryFromWords(categoryWords) : null;
  if (!category) {
    if (categoryWords) {
      problems.push(`category "${categoryWords}" is not one the app knows${batchCategory ? `: ${batchCategory}, chosen for this import, is used` : ''}`);
      kept.push(`Category as written: ${categoryWords}`);
    }
    category = batchCategory;
  }
  if (!category) return { line, data: null, problems: [...problems, `has no category: choose one for this import, or map a column to Category`] };

  const [latText = '', lonText = ''] = [values('latitude')[0], values('longitude')[0]];
  let location: { lat: number; lon: number } | null = null;
  if (latText || lonText) {
    const [lat, lon] = [Number(latText.replace(',', '.')), Number(lonText.replace(',', '.'))];
    if (!latText || !lonText || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      problems.push(`location "${latText}, ${lonText}" is not a latitude and longitude in degrees (kept in the description)`);
      kept.push(`Location as written: ${latText}, ${lonText}`);
    } else location = { lat, lon };
  }
  const description = [...values('description'), ...(kept.length ? [kept.join('\n')] : [])].join('\n\n');
  const draft: CreateInput<'asset'> = {
    name,
    category,
    description,
    address: values('address').join(', '),
    postcode: values('postcode')[0] ?? '',
    availability: values('availability').join('\n'),
    themes: [...new Set(values('themes').flatMap((v) => v.split(/[;,]/)).map((v) => v.trim().toLowerCase()).filter(Boolean))],
    location,
  };
  return checkDraft(CREATE_INPUT.asset, draft, line, problems, 'description');
}
