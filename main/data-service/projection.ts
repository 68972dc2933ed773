// The read model: rows derived from a record's data and meta, written in the same SQLite
// transaction as the CRDT update that produced them. Nothing here reads other records,
// so projecting the same doc always gives the same rows (the rebuild test relies on it).
import type { SqliteDatabase, SqliteStatement } from './db/sqlite';
import type {
  AnyRecord,
  AssetData,
  ConnectionData,
  ContactData,
  DataOf,
  RecordKind,
  RecordMeta,
  SessionData,
} from '../../shared/domain';
import type { TableClaim } from './db/tables';
import { foldText, indexText } from './text';

export type RecordStatus = 'active' | 'deleted' | 'merged';

export function statusOf(meta: Pick<RecordMeta, 'deletedAt' | 'mergedInto'>): RecordStatus {
  if (meta.mergedInto) return 'merged';
  if (meta.deletedAt) return 'deleted';
  return 'active';
}

interface Facet {
  facet: string;
  value: string;
}

interface Derived {
  title: string;
  subtitle: string;
  badges: string[];
  category: string | null;
  date: string | null;
  facets: Facet[];
}

/**
 * A field global search looks in, named by its data path so a result can say which field
 * matched; `forms` are other spellings indexed but not shown (a phone number's digits).
 */
export interface SearchField {
  field: string;
  text: string;
  forms?: string[];
}

const label = (value: string) => value.replace(/-/g, ' ');
const facets = (facet: string, values: readonly string[]): Facet[] => values.map((value) => ({ facet, value }));
const join = (parts: (string | null | undefined)[], separator = ' · ') => parts.filter(Boolean).join(separator);
/** Postcodes and phone numbers are also indexed without spaces, so "M145TQ" finds "M14 5TQ". */
const compact = (value: string) => [value.replace(/[^0-9A-Za-z]/g, '')];

/** What global search looks in besides the title, field by field. */
const SEARCH_FIELDS: { [K in RecordKind]: (d: DataOf<K>) => SearchField[] } = {
  asset: (d) => [
    { field: 'category', text: label(d.category) },
    { field: 'description', text: d.description },
    { field: 'themes', text: d.themes.join(', ') },
    { field: 'tags', text: d.tags.join(', ') },
    { field: 'address', text: d.address },
    { field: 'postcode', text: d.postcode, forms: compact(d.postcode) },
    { field: 'availability', text: d.availability },
  ],
  contact: (d) => [
    { field: 'roles', text: d.roles.join(', ') },
    { field: 'email', text: d.email },
    { field: 'phone', text: d.phone, forms: compact(d.phone) },
    { field: 'address', text: d.address },
    { field: 'postcode', text: d.postcode, forms: compact(d.postcode) },
    { field: 'themes', text: d.themes.join(', ') },
    { field: 'skills', text: d.skills.map((s) => `${s.domain}: ${s.skill}`).join('; ') },
    { field: 'notes', text: d.notes },
  ],
  connection: (d) => [{ field: 'note', text: d.note }],
  session: (d) => [
    { field: 'type', text: label(d.type) },
    { field: 'notes', text: d.notes },
    { field: 'priorities', text: d.priorities.map((p) => p.text).join('; ') },
    { field: 'actions', text: d.actions.map((a) => a.text).join('; ') },
  ],
};

export function searchFieldsOf<K extends RecordKind>(kind: K, data: DataOf<K>): SearchField[] {
  return (SEARCH_FIELDS[kind] as (d: DataOf<K>) => SearchField[])(data).filter((f) => f.text);
}

/** The search index's row of a record: its title and every search field, with joined words (see indexText). */
function searchRow<K extends RecordKind>(kind: K, data: DataOf<K>, title: string): [string, string] {
  const body = searchFieldsOf(kind, data).flatMap((f) => [f.text, ...(f.forms ?? [])]);
  return [indexText(title), indexText(body.join('\n'))];
}

function deriveAsset(d: AssetData): Derived {
  return {
    title: d.name,
    subtitle: join([label(d.category), d.postcode]),
    badges: d.themes,
    category: d.category,
    date: null,
    facets: [
      ...facets('theme', d.themes),
      ...facets('tag', d.tags),
      ...facets('contact-person', d.contactPersonId ? [d.contactPersonId] : []),
    ],
  };
}

function deriveContact(d: ContactData): Derived {
  return {
    title: d.name,
    subtitle: join([d.roles.join(', ') || d.type, d.postcode]),
    badges: d.themes,
    category: d.type,
    date: null,
    facets: [...facets('role', d.roles), ...facets('theme', d.themes)],
  };
}

function deriveConnection(d: ConnectionData): Derived {
  return {
    title: label(d.kind),
    subtitle: d.date ?? '',
    badges: [],
    category: d.kind,
    date: d.date,
    facets: [
      { facet: 'endpoint', value: d.fromId },
      { facet: 'endpoint', value: d.toId },
    ],
  };
}

function deriveSession(d: SessionData): Derived {
  const owners = d.actions.flatMap((a) => (a.ownerId ? [a.ownerId] : []));
  return {
    title: d.title,
    subtitle: join([label(d.type), d.startsAt.replace('T', ' ')]),
    badges: [...new Set(d.priorities.flatMap((p) => (p.theme ? [p.theme] : [])))].sort(),
    category: d.type,
    date: d.startsAt,
    facets: [
      ...facets('attendee', d.attendeeIds),
      ...facets('facilitator', d.facilitatorIds),
      ...facets('venue', d.venueId ? [d.venueId] : []),
      ...facets('action-owner', [...new Set(owners)]),
      ...facets('theme', [...new Set(d.priorities.flatMap((p) => (p.theme ? [p.theme] : [])))]),
    ],
  };
}

function derive(record: AnyRecord): Derived {
  switch (record.kind) {
    case 'asset':
      return deriveAsset(record.data);
    case 'contact':
      return deriveContact(record.data);
    case 'connection':
      return deriveConnection(record.data);
    case 'session':
      return deriveSession(record.data);
  }
}

/** The projection tables, in the order the rebuild clears them: what each holds of a person, and one record's rows. */
export const PROJECTION_TABLE_CLAIMS: TableClaim[] = [
  {
    table: 'records',
    personal: "every record's data as JSON (a contact's name, phone, email, address, notes; a session's notes), its title and the authors' names",
    recordRows: 'id = @id',
  },
  { table: 'record_facets', personal: "a record's roles, themes, tags and the ids of the people and places it names", recordRows: 'record_id = @id' },
  { table: 'connections', personal: 'who is connected to whom (ids), how and since when', recordRows: 'id = @id' },
  { table: 'session_actions', personal: "a session's actions: their text and owner's id", recordRows: 'session_id = @id' },
  { table: 'contact_skills', personal: "a contact's skills and what they want to learn or share", recordRows: 'contact_id = @id' },
  { table: 'contact_consents', personal: "a contact's consents: purpose, wording, when and how given or withdrawn", recordRows: 'contact_id = @id' },
  {
    table: 'search_index',
    personal: "an active record's title and searchable fields (names, phones, postcodes, notes) as words",
    recordRows: 'rowid = (SELECT rid FROM records WHERE id = @id)',
    fts: true,
  },
  { table: 'record_counts', personal: 'nothing personal (how many records of each kind and status)', recordRows: null },
];

export const PROJECTION_TABLES = PROJECTION_TABLE_CLAIMS.map((claim) => claim.table);

export class Projection {
  private readonly stmt: Record<string, SqliteStatement>;

  constructor(private readonly db: SqliteDatabase) {
    this.stmt = {
      upsertRecord: db.prepare(`
        INSERT INTO records (id, kind, status, title, sort_key, subtitle, badges, category, date, data,
                             created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, merged_into)
        VALUES (@id, @kind, @status, @title, @sortKey, @subtitle, @badges, @category, @date, @data,
                @createdAt, @createdBy, @updatedAt, @updatedBy, @deletedAt, @deletedBy, @mergedInto)
        ON CONFLICT (id) DO UPDATE SET
          status = excluded.status, title = excluded.title, sort_key = excluded.sort_key,
          subtitle = excluded.subtitle, badges = excluded.badges, category = excluded.category,
          date = excluded.date, data = excluded.data, updated_at = excluded.updated_at,
          updated_by = excluded.updated_by, deleted_at = excluded.deleted_at,
          deleted_by = excluded.deleted_by, merged_into = excluded.merged_into`),
      recordState: db.prepare('SELECT rid, status, merged_into AS mergedInto FROM records WHERE id = ?'),
      deleteRecord: db.prepare('DELETE FROM records WHERE id = ? RETURNING rid, kind, status'),
      count: db.prepare(
        'INSERT INTO record_counts (kind, status, n) VALUES (?, ?, ?) ON CONFLICT (kind, status) DO UPDATE SET n = n + excluded.n',
      ),
      dropZeroCount: db.prepare('DELETE FROM record_counts WHERE kind = ? AND status = ? AND n = 0'),
      deleteFacets: db.prepare('DELETE FROM record_facets WHERE record_id = ?'),
      insertFacet: db.prepare('INSERT OR IGNORE INTO record_facets (facet, value, record_id) VALUES (?, ?, ?)'),
      deleteSearch: db.prepare('DELETE FROM search_index WHERE rowid = ?'),
      insertSearch: db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)'),
      deleteConnection: db.prepare('DELETE FROM connections WHERE id = ?'),
      insertConnection: db.prepare('INSERT INTO connections (id, from_id, to_id, kind, date) VALUES (?, ?, ?, ?, ?)'),
      deleteActions: db.prepare('DELETE FROM session_actions WHERE session_id = ?'),
      insertAction: db.prepare(
        'INSERT INTO session_actions (session_id, action_id, position, text, owner_id, due_date, status) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteSkills: db.prepare('DELETE FROM contact_skills WHERE contact_id = ?'),
      insertSkill: db.prepare(
        'INSERT INTO contact_skills (contact_id, skill_id, domain, skill, has, wants_to_learn, willing_to_share) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteConsents: db.prepare('DELETE FROM contact_consents WHERE contact_id = ?'),
      insertConsent: db.prepare(
        'INSERT INTO contact_consents (contact_id, consent_id, purpose, wording_version, given_at, method, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /**
   * Write every projected row of one record. `isNew` skips the deletes a brand-new
   * record cannot need (the bulk-create path). `status` overrides the record's own only
   * for a merge cycle (Workspace.settleMergeCycles). Returns its `mergedInto` as it was.
   */
  write(record: AnyRecord, isNew = false, status: RecordStatus = statusOf(record)): string | null {
    const derived = derive(record);
    const previous = isNew
      ? undefined
      : (this.stmt.recordState!.get(record.id) as { rid: number; status: RecordStatus; mergedInto: string | null } | undefined);
    const written = this.stmt.upsertRecord!.run({
      id: record.id,
      kind: record.kind,
      status,
      title: derived.title,
      sortKey: foldText(derived.title),
      subtitle: derived.subtitle,
      badges: JSON.stringify(derived.badges),
      category: derived.category,
      date: derived.date,
      data: JSON.stringify(record.data),
      createdAt: record.createdAt,
      createdBy: JSON.stringify(record.createdBy),
      updatedAt: record.updatedAt,
      updatedBy: JSON.stringify(record.updatedBy),
      deletedAt: record.deletedAt,
      deletedBy: record.deletedBy ? JSON.stringify(record.deletedBy) : null,
      mergedInto: record.mergedInto,
    });
    // Not RETURNING: that opens a statement savepoint, and FTS5 flushes its pending index
    // at every savepoint, which inside a bulk transaction means once per record.
    const rid = previous ? previous.rid : Number(written.lastInsertRowid);
    if (previous?.status !== status) {
      if (previous) this.uncount(record.kind, previous.status);
      this.stmt.count!.run(record.kind, status, 1);
    }

    if (!isNew) {
      this.stmt.deleteFacets!.run(record.id);
      this.stmt.deleteSearch!.run(rid);
    }
    for (const f of derived.facets) this.stmt.insertFacet!.run(f.facet, f.value, record.id);
    if (status === 'active') this.stmt.insertSearch!.run(rid, ...searchRow(record.kind, record.data, derived.title));

    switch (record.kind) {
      case 'connection': {
        if (!isNew) this.stmt.deleteConnection!.run(record.id);
        const d = record.data;
        if (status === 'active') this.stmt.insertConnection!.run(record.id, d.fromId, d.toId, d.kind, d.date);
        break;
      }
      case 'session': {
        if (!isNew) this.stmt.deleteActions!.run(record.id);
        if (status !== 'active') break;
        record.data.actions.forEach((a, position) =>
          this.stmt.insertAction!.run(record.id, a.id, position, a.text, a.ownerId, a.dueDate, a.status),
        );
        break;
      }
      case 'contact': {
        if (!isNew) {
          this.stmt.deleteSkills!.run(record.id);
          this.stmt.deleteConsents!.run(record.id);
        }
        for (const s of record.data.skills) {
          this.stmt.insertSkill!.run(record.id, s.id, s.domain, s.skill, +s.has, +s.wantsToLearn, +s.willingToShare);
        }
        for (const c of record.data.consents) {
          this.stmt.insertConsent!.run(record.id, c.id, c.purpose, c.wordingVersion, c.givenAt, c.method, c.withdrawnAt);
        }
        break;
      }
      case 'asset':
        break;
    }
    return previous?.mergedInto ?? null;
  }

  /** Remove every projected row of one record (a peer's record that cannot be shown). */
  remove(id: string): void {
    const row = this.stmt.deleteRecord!.get(id) as { rid: number; kind: string; status: string } | undefined;
    if (row) {
      this.stmt.deleteSearch!.run(row.rid);
      this.uncount(row.kind, row.status);
    }
    for (const stmt of ['deleteFacets', 'deleteConnection', 'deleteActions', 'deleteSkills', 'deleteConsents']) this.stmt[stmt]!.run(id);
  }

  private uncount(kind: string, status: string): void {
    this.stmt.count!.run(kind, status, -1);
    this.stmt.dropZeroCount!.run(kind, status);
  }

  /** Empty every projection table (inside the caller's transaction). */
  clear(): void {
    for (const table of PROJECTION_TABLES) this.db.exec(`DELETE FROM ${table}`);
  }
}

/**
 * Write the search index again from the projected records, a page at a time (a migration
 * runs it when what the index holds changes; the records table already has every record's
 * title and data).
 */
export function reindexSearch(db: SqliteDatabase): void {
  db.exec('DELETE FROM search_index');
  const page = db.prepare(
    "SELECT rid, kind, title, data FROM records WHERE status = 'active' AND rid > ? ORDER BY rid LIMIT 1000",
  );
  const insert = db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)');
  for (let after = 0; ; ) {
    const rows = page.all(after) as { rid: number; kind: RecordKind; title: string; data: string }[];
    if (rows.length === 0) return;
    for (const row of rows) insert.run(row.rid, ...searchRow(row.kind, JSON.parse(row.data), row.title));
    after = rows.at(-1)!.rid;
  }
}
