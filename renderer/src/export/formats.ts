// Asset export files: GeoJSON (RFC 7946) and KML 2.2 for GIS and Google Earth, CSV for
// spreadsheets. Pure functions of the rows the data service gives (contact details are
// already left out there where consent does not allow sharing).
import Papa from 'papaparse';
import type { ExportAsset } from '../../../shared/rpc-network';

export const EXPORT_FORMATS = ['geojson', 'kml', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_INFO: Record<ExportFormat, { label: string; extension: string; mime: string; placedOnly: boolean }> = {
  geojson: { label: 'GeoJSON (QGIS, web maps)', extension: 'geojson', mime: 'application/geo+json', placedOnly: true },
  kml: { label: 'KML (Google Earth)', extension: 'kml', mime: 'application/vnd.google-earth.kml+xml', placedOnly: true },
  csv: { label: 'CSV (spreadsheets)', extension: 'csv', mime: 'text/csv', placedOnly: false },
};

/** The fields every format carries, in this order, with their column names. */
function fieldsOf(asset: ExportAsset) {
  return {
    name: asset.name,
    category: asset.category,
    themes: asset.themes,
    tags: asset.tags,
    address: asset.address,
    postcode: asset.postcode,
    contact_name: asset.contactPerson?.name ?? null,
    contact_phone: asset.contactPerson?.phone || null,
    contact_email: asset.contactPerson?.email || null,
  };
}

const placed = (assets: readonly ExportAsset[]) => assets.filter((a): a is ExportAsset & { location: NonNullable<ExportAsset['location']> } => a.location !== null);

/** A FeatureCollection of the placed assets: Points in [longitude, latitude] order, WGS 84. */
export function toGeoJSON(assets: readonly ExportAsset[]): string {
  const features = placed(assets).map((asset) => ({
    type: 'Feature',
    id: asset.id,
    geometry: { type: 'Point', coordinates: [asset.location.lon, asset.location.lat] },
    properties: fieldsOf(asset),
  }));
  return JSON.stringify({ type: 'FeatureCollection', features }, null, 1);
}

// XML 1.0 forbids most control characters even when escaped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (text: string) => text.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);

const listText = (value: string | string[] | null) => (Array.isArray(value) ? value.join('; ') : (value ?? ''));

/** A KML 2.2 document: one folder per ABCD category, a Placemark per placed asset with its fields as ExtendedData. */
export function toKML(assets: readonly ExportAsset[], documentName: string): string {
  const byCategory = new Map<string, string[]>();
  for (const asset of placed(assets)) {
    const data = Object.entries(fieldsOf(asset))
      .filter(([key]) => key !== 'name')
      .map(([key, value]) => `      <Data name="${key}"><value>${escapeXml(listText(value))}</value></Data>`)
      .join('\n');
    const description = [asset.address, asset.postcode].filter(Boolean).join(', ');
    const placemark = [
      `    <Placemark id="${escapeXml(asset.id)}">`,
      `     <name>${escapeXml(asset.name)}</name>`,
      description ? `     <description>${escapeXml(description)}</description>` : '',
      '     <ExtendedData>',
      data,
      '     </ExtendedData>',
      `     <Point><coordinates>${asset.location.lon},${asset.location.lat}</coordinates></Point>`,
      '    </Placemark>',
    ].filter(Boolean);
    byCategory.set(asset.category, [...(byCategory.get(asset.category) ?? []), placemark.join('\n')]);
  }
  const folders = [...byCategory].map(
    ([category, placemarks]) => `  <Folder>\n   <name>${escapeXml(category)}</name>\n${placemarks.join('\n')}\n  </Folder>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    ' <Document>',
    `  <name>${escapeXml(documentName)}</name>`,
    ...folders,
    ' </Document>',
    '</kml>',
    '',
  ].join('\n');
}

export const CSV_COLUMNS = [
  'id',
  'name',
  'category',
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

/**
 * Cells a spreadsheet would run as a formula. papaparse's own pattern ends in `.*$`,
 * which misses a multi-line cell, so the check is on the first character alone.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Every asset, placed or not (empty coordinates), one row each; text that could run as a formula starts with an apostrophe. */
export function toCSV(assets: readonly ExportAsset[]): string {
  const rows = assets.map((asset) => {
    const fields = fieldsOf(asset);
    return [
      asset.id,
      fields.name,
      fields.category,
      listText(fields.themes),
      listText(fields.tags),
      fields.address,
      fields.postcode,
      asset.location?.lat ?? '',
      asset.location?.lon ?? '',
      fields.contact_name ?? '',
      fields.contact_phone ?? '',
      fields.contact_email ?? '',
    ];
  });
  return Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { escapeFormulae: FORMULA_START, newline: '\r\n' });
}
