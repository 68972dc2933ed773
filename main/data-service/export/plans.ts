// What each export reads and how it writes it: a source that pages through the list screen's
// own query (so the file holds what the filtered list shows) and a file shape that turns a
// page of records into text, deciding with the consent gate whose details go in.
import type { RecordKind, RecordOf } from '../../../shared/domain';
import type { ActionRow, ListRow } from '../../../shared/rpc';
import type { ExportFormat, ParsedExportRequest } from '../../../shared/rpc-export';
import type { Workspace } from '../workspace';
import { assetCsvRow, ASSET_CSV_COLUMNS, GEOJSON_HEAD, GEOJSON_TAIL, geoJsonFeatures, KmlFolders, type ExportAsset } from './assets';
import type { PeopleGate } from './consent-gate';
import { capacityCsvRows, CONTACT_CSV_COLUMNS, contactCsvRow, contactVcard, CAPACITY_CSV_COLUMNS } from './contacts';
import { CSV_BOM, csvLines } from './csv';
import { ACTION_CSV_COLUMNS, actionCsvRow, CONNECTION_CSV_COLUMNS, connectionCsvRow, SESSION_CSV_COLUMNS, sessionCsvRow, type ConnectionEnd } from './records';

/** An export ready to run: the data service writes `head`, each page in turn, then `tail`. */
export interface ExportPlan {
  fileName: string;
  mime: string;
  /** Records the list held when the export started. */
  total: number;
  head: string;
  /** The file's text for the records from `offset` (at most `limit`), and how many records that read. */
  page(offset: number, limit: number): { text: string; read: number };
  tail(): string;
  /** Rows (cards, features) written so far. */
  written(): number;
  /** What consent kept out so far, counted as EXPORT_SUBJECTS[subject].leftOut says. */
  leftOut(): number;
}

interface Source<R> {
  total: number;
  page(offset: number, limit: number): R[];
}

/** A file's text a page at a time, with how many rows each page wrote. */
interface FileShape<R> {
  head: string;
  write(records: R[]): { text: string; rows: number };
  tail(): string;
}

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv',
  vcard: 'text/vcard',
  geojson: 'application/geo+json',
  kml: 'application/vnd.google-earth.kml+xml',
};
const EXTENSION: Record<ExportFormat, string> = { csv: 'csv', vcard: 'vcf', geojson: 'geojson', kml: 'kml' };

function plan<R>(request: ParsedExportRequest, source: Source<R>, shape: FileShape<R>, leftOut: () => number): ExportPlan {
  let written = 0;
  return {
    fileName: `${request.subject}-${request.today}.${EXTENSION[request.format]}`,
    mime: MIME[request.format],
    total: source.total,
    head: shape.head,
    page(offset, limit) {
      const records = source.page(offset, limit);
      const { text, rows } = shape.write(records);
      written += rows;
      return { text, read: records.length };
    },
    tail: () => shape.tail(),
    written: () => written,
    leftOut,
  };
}

type Listed<K extends RecordKind> = { row: ListRow; record: RecordOf<K> };

/** The list screen's records of `kind`, as its filters and order give them. */
function listed<K extends RecordKind>(ws: Workspace, kind: K, request: Extract<ParsedExportRequest, { filter: unknown }>): Source<Listed<K>> {
  const query = (offset: number, limit: number) => ws.list({ kind, filter: request.filter, sort: request.sort, offset, limit });
  return {
    total: query(0, 1).total,
    page: (offset, limit) => query(offset, limit).rows.map((row) => ({ row, record: ws.get(kind, row.id) })),
  };
}

/** Text with nothing around its records (vCards: one card after another). */
function cards<R>(render: (record: R) => string[]): FileShape<R> {
  return {
    head: '',
    write(records) {
      const texts = records.flatMap(render);
      return { text: texts.join(''), rows: texts.length };
    },
    tail: () => '',
  };
}

/** CSV with a header line; `rows` gives each record's rows (none for a record left out). */
function csv<R>(columns: readonly string[], rows: (record: R) => (string | number)[][]): FileShape<R> {
  return {
    head: CSV_BOM + csvLines([columns]),
    write(records) {
      const lines = records.flatMap(rows);
      return { text: csvLines(lines), rows: lines.length };
    },
    tail: () => '',
  };
}

function assetOf(asset: RecordOf<'asset'>, gate: PeopleGate): ExportAsset {
  const d = asset.data;
  const person = d.contactPersonId ? gate.named(d.contactPersonId) : null;
  return {
    id: asset.id,
    name: d.name,
    category: d.category,
    description: d.description,
    availability: d.availability,
    themes: d.themes,
    tags: d.tags,
    address: d.address,
    postcode: d.postcode,
    location: d.location,
    contactPerson: person && { name: person.data.name, phone: person.data.phone, email: person.data.email },
  };
}

function assetShape(ws: Workspace, format: 'geojson' | 'kml' | 'csv', gate: PeopleGate): FileShape<Listed<'asset'>> {
  const assets = (records: Listed<'asset'>[]) => records.map(({ record }) => assetOf(record, gate));
  switch (format) {
    case 'csv':
      return csv(ASSET_CSV_COLUMNS, ({ record }) => [assetCsvRow(assetOf(record, gate))]);
    case 'geojson': {
      let first = true;
      return {
        head: GEOJSON_HEAD,
        write(records) {
          const text = geoJsonFeatures(assets(records), first);
          first &&= records.length === 0;
          return { text, rows: records.length };
        },
        tail: () => GEOJSON_TAIL,
      };
    }
    case 'kml': {
      const folders = new KmlFolders();
      return {
        head: '',
        write(records) {
          folders.add(assets(records));
          return { text: '', rows: records.length };
        },
        tail: () => folders.document(ws.name),
      };
    }
  }
}

/**
 * A connection's end as it is now (through merges); null if it is a person whose details may
 * not go out. An end this device does not hold yet (not synced) is named as lists name it.
 */
function connectionEnd(ws: Workspace, id: string, gate: PeopleGate): ConnectionEnd | null {
  const resolved = ws.resolveId(id);
  const kind = ws.docKind(resolved);
  if (kind !== 'contact') return { title: ws.titleOf(resolved), kind: kind === 'asset' ? 'Asset' : '' };
  const contact = gate.named(resolved);
  return contact && { title: contact.data.name, kind: 'Contact' };
}

export function planExport(ws: Workspace, request: ParsedExportRequest, gate: PeopleGate): ExportPlan {
  const people = () => gate.leftOut.size;
  switch (request.subject) {
    case 'contacts': {
      const shape =
        request.format === 'vcard'
          ? cards<Listed<'contact'>>(({ record }) => (gate.admits(record) ? [contactVcard(record)] : []))
          : csv<Listed<'contact'>>(CONTACT_CSV_COLUMNS, ({ record }) => (gate.admits(record) ? [contactCsvRow(record)] : []));
      return plan(request, listed(ws, 'contact', request), shape, people);
    }
    case 'capacity':
      return plan(
        request,
        listed(ws, 'contact', request),
        csv(CAPACITY_CSV_COLUMNS, ({ record }) => (record.data.skills.length > 0 && gate.admits(record) ? capacityCsvRows(record) : [])),
        people,
      );
    case 'sessions':
      return plan(
        request,
        listed(ws, 'session', request),
        csv(SESSION_CSV_COLUMNS, ({ row, record }) => {
          const facilitators = record.data.facilitatorIds.flatMap((id) => gate.named(id)?.data.name ?? []);
          return [sessionCsvRow(record, row.session!, facilitators)];
        }),
        people,
      );
    case 'connections': {
      // A connection says something about both its ends: it goes out only if both may.
      let leftOut = 0;
      return plan(
        request,
        listed(ws, 'connection', request),
        csv(CONNECTION_CSV_COLUMNS, ({ record }) => {
          const from = connectionEnd(ws, record.data.fromId, gate);
          const to = connectionEnd(ws, record.data.toId, gate);
          if (from && to) return [connectionCsvRow(record, from, to)];
          leftOut++;
          return [];
        }),
        () => leftOut,
      );
    }
    case 'assets':
      return plan(request, listed(ws, 'asset', request), assetShape(ws, request.format, gate), people);
    case 'actions': {
      const query = (offset: number, limit: number) => ws.actions({ status: request.status, today: request.today, offset, limit });
      return plan(
        request,
        { total: query(0, 1).total, page: (offset, limit) => query(offset, limit).rows },
        csv<ActionRow>(ACTION_CSV_COLUMNS, (action) => [actionCsvRow(action, action.ownerId ? (gate.named(action.ownerId)?.data.name ?? '') : '')]),
        people,
      );
    }
  }
}
