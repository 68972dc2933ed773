// Assets as map files and a spreadsheet: GeoJSON (RFC 7946) and KML 2.2 for GIS and Google
// Earth, CSV for spreadsheets. Every asset is in every format: one not yet placed on the map
// is a GeoJSON feature with `null` geometry (RFC 7946 §3.2) and a KML placemark without a
// point, in a folder of its own. Contact details are already left out where consent does not
// allow them (`ExportAsset.contactPerson` is null then).
import type { AssetCategory, Location } from '../../../shared/domain';
import { humanize } from '../../../shared/format';

/** One asset as it leaves the workspace. */
export interface ExportAsset {
  id: string;
  name: string;
  category: AssetCategory;
  description: string;
  /** Opening times and when it can be used, as written. */
  availability: string;
  themes: string[];
  tags: string[];
  address: string;
  postcode: string;
  location: Location | null;
  contactPerson: { name: string; phone: string; email: string } | null;
}

/** The fields every format carries, in this order, with their column names. */
function fieldsOf(asset: ExportAsset) {
  return {
    name: asset.name,
    category: asset.category,
    description: asset.description,
    opening_times: asset.availability,
    themes: asset.themes,
    tags: asset.tags,
    address: asset.address,
    postcode: asset.postcode,
    contact_name: asset.contactPerson?.name ?? null,
    contact_phone: asset.contactPerson?.phone || null,
    contact_email: asset.contactPerson?.email || null,
  };
}

export const GEOJSON_HEAD = '{"type":"FeatureCollection","features":[\n';
export const GEOJSON_TAIL = '\n]}\n';

/** Features for a FeatureCollection: Points in [longitude, latitude] order (WGS 84), `null` geometry where unplaced; `first` leaves out the separating comma. */
export function geoJsonFeatures(assets: readonly ExportAsset[], first: boolean): string {
  const features = assets.map((asset) =>
    JSON.stringify({
      type: 'Feature',
      id: asset.id,
      geometry: asset.location ? { type: 'Point', coordinates: [asset.location.lon, asset.location.lat] } : null,
      properties: fieldsOf(asset),
    }),
  );
  return features.length === 0 ? '' : `${first ? '' : ',\n'}${features.join(',\n')}`;
}

// XML 1.0 forbids most control characters even when escaped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (text: string) => text.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);

const listText = (value: string | string[] | null) => (Array.isArray(value) ? value.join('; ') : (value ?? ''));

/** The KML folder that holds assets not yet placed: placemarks with no point, which Google Earth lists but cannot show. */
export const KML_UNPLACED_FOLDER = 'Not on the map';

function placemark(asset: ExportAsset): string {
  const data = Object.entries(fieldsOf(asset))
    .filter(([key]) => key !== 'name' && key !== 'description')
    .map(([key, value]) => `      <Data name="${key}"><value>${escapeXml(listText(value))}</value></Data>`)
    .join('\n');
  return [
    `    <Placemark id="${escapeXml(asset.id)}">`,
    `     <name>${escapeXml(asset.name)}</name>`,
    asset.description ? `     <description>${escapeXml(asset.description)}</description>` : '',
    '     <ExtendedData>',
    data,
    '     </ExtendedData>',
    asset.location ? `     <Point><coordinates>${asset.location.lon},${asset.location.lat}</coordinates></Point>` : '',
    '    </Placemark>',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * A KML 2.2 document gathered a page at a time: one folder per ABCD category (in order of first
 * appearance), then the unplaced assets' folder. Folders need every asset of their category, so
 * the placemarks are held until `document` writes them.
 */
export class KmlFolders {
  private readonly folders = new Map<string, string[]>();

  add(assets: readonly ExportAsset[]): void {
    for (const asset of assets) {
      const folder = asset.location ? humanize(asset.category) : KML_UNPLACED_FOLDER;
      let placemarks = this.folders.get(folder);
      if (!placemarks) this.folders.set(folder, (placemarks = []));
      placemarks.push(placemark(asset));
    }
  }

  document(name: string): string {
    const unplaced = this.folders.get(KML_UNPLACED_FOLDER);
    this.folders.delete(KML_UNPLACED_FOLDER);
    if (unplaced) this.folders.set(KML_UNPLACED_FOLDER, unplaced);
    const folders = [...this.folders].map(([folder, placemarks]) => `  <Folder>\n   <name>${escapeXml(folder)}</name>\n${placemarks.join('\n')}\n  </Folder>`);
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<kml xmlns="http://www.opengis.net/kml/2.2">',
      ' <Document>',
      `  <name>${escapeXml(name)}</name>`,
      ...folders,
      ' </Document>',
      '</kml>',
      '',
    ].join('\n');
  }
}

export const ASSET_CSV_COLUMNS = [
  'id',
  'name',
  'category',
  'description',
  'opening_times',
  'themes',
  'tags',
  'address',
  'postcode',
  'latitude',
  'longitude',
  'contact_name',
  'contact_phone',
  'contact_email',
] as const;

/** An asset as a CSV row; an unplaced one has empty coordinates. */
export function assetCsvRow(asset: ExportAsset): (string | number)[] {
  const f = fieldsOf(asset);
  return [
    asset.id,
    f.name,
    f.category,
    f.description,
    f.opening_times,
    listText(f.themes),
    listText(f.tags),
    f.address,
    f.postcode,
    asset.location?.lat ?? '',
    asset.location?.lon ?? '',
    f.contact_name ?? '',
    f.contact_phone ?? '',
    f.contact_email ?? '',
  ];
}
