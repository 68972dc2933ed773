// Single records as the read model holds them: a record by id, what an id stands for after
// merges (resolveId, aliasesOf), a record's title, kind and status, and the counts per kind.
// Every other reader (screens, team, network, links) asks here rather than querying `records`.
import { DEFAULT_POLICY, LISTED_KINDS, POLICY_ID, type AnyRecord, type ListedKind, type PolicyData, type RecordKind } from '../../../shared/domain';
import type { PersonGrounds } from '../../../shared/privacy/consent-rules';
import type { SqliteDatabase, SqliteStatement } from '../db/sqlite';
import { presentData } from '../kinds';
import { storedParts, type RecordStatus } from '../projection';

interface RecordRow {
  id: string;
  kind: RecordKind;
  status: RecordStatus;
  data: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  deleted_by: string | null;
  merged_into: string | null;
}

/** What lists, pickers and checks need of a record besides its data. */
export interface RecordBrief {
  id: string;
  kind: RecordKind;
  status: RecordStatus;
  title: string;
  category: string | null;
  mergedInto: string | null;
}

/** What a reference to a record finds: whether it is of a kind the field allows, and still active. */
export type ReferenceTarget = Pick<RecordBrief, 'kind' | 'status' | 'mergedInto'>;

function rowToRecord(row: RecordRow): AnyRecord {
  const { data, problems } = storedParts(JSON.parse(row.data) as Record<string, unknown>);
  return {
    ...(problems ? { problems } : {}),
    id: row.id,
    kind: row.kind,
    data,
    createdAt: row.created_at,
    createdBy: JSON.parse(row.created_by),
    updatedAt: row.updated_at,
    updatedBy: JSON.parse(row.updated_by),
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by ? JSON.parse(row.deleted_by) : null,
    mergedInto: row.merged_into,
  } as AnyRecord;
}

export class RecordReads {
  private readonly stmt;
  /** Prepared when first used: a backup from before migration 21 is read with this class too, and lacks its index. */
  private referenceTargetsStmt: SqliteStatement | null = null;

  constructor(private readonly db: SqliteDatabase) {
    this.stmt = {
      byId: db.prepare('SELECT * FROM records WHERE id = ?'),
      brief: db.prepare('SELECT id, kind, status, title, category, merged_into AS mergedInto FROM records WHERE id = ?'),
      mergedInto: db.prepare('SELECT merged_into AS mergedInto FROM records WHERE id = ?').pluck(),
      aliases: db
        .prepare(
          `WITH RECURSIVE aliases(id) AS (SELECT @id UNION SELECT r.id FROM records r JOIN aliases a ON r.merged_into = a.id)
           SELECT id FROM aliases`,
        )
        .pluck(),
      mergedAmong: db.prepare('SELECT id FROM records WHERE merged_into IS NOT NULL AND id IN (SELECT value FROM json_each(?))').pluck(),
      mergedOfKinds: db.prepare(`SELECT id FROM records WHERE status = 'merged' AND kind IN (SELECT value FROM json_each(?))`).pluck(),
      countByKind: db.prepare("SELECT kind, n FROM record_counts WHERE status = 'active'"),
      countOf: db.prepare('SELECT n FROM record_counts WHERE kind = @kind AND status = @status'),
      page: db.prepare(
        `SELECT rid, id, kind, status, title, data, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, merged_into
         FROM records WHERE rid > ? ORDER BY rid LIMIT ?`,
      ),
      grounds: db.prepare(
        `SELECT id, category AS type, json_extract(data, '$.consents') AS consents, json_extract(data, '$.lawfulBasis') AS lawfulBasis
         FROM records WHERE kind = 'contact' AND id IN (SELECT value FROM json_each(?))`,
      ),
      storedCount: db.prepare('SELECT coalesce(sum(n), 0) FROM record_counts').pluck(),
    };
  }

  /** The projected record with this id, as stored (references as written); undefined if none. */
  stored(id: string): AnyRecord | undefined {
    const row = this.stmt.byId.get(id) as RecordRow | undefined;
    return row && rowToRecord(row);
  }

  brief(id: string): RecordBrief | undefined {
    return this.stmt.brief.get(id) as RecordBrief | undefined;
  }

  /** What a reference to each of many ids finds, in one query (ids with no record left out). */
  referenceTargets(ids: Iterable<string>): Map<string, ReferenceTarget> {
    // As arrays, and only what a reference check reads: a batch of sessions names ~14,000 people.
    // SQLite would pick the unique index on id and read each whole row (migration 21).
    this.referenceTargetsStmt ??= this.db
      .prepare('SELECT id, kind, status, merged_into FROM records INDEXED BY records_as_references WHERE id IN (SELECT value FROM json_each(?))')
      .raw();
    const rows = this.referenceTargetsStmt.all(JSON.stringify([...ids])) as [string, RecordKind, RecordStatus, string | null][];
    return new Map(rows.map(([id, kind, status, mergedInto]) => [id, { kind, status, mergedInto }]));
  }

  /** The `mergedInto` a record's projection holds: null if none, undefined if there is no such record. */
  mergedInto(id: string): string | null | undefined {
    return this.stmt.mergedInto.get(id) as string | null | undefined;
  }

  /**
   * The record that stands for `id` now: itself, or the survivor it was merged into
   * (following merges of merges). References keep the id they were written with, so an
   * unmerge needs no rewrite; every read resolves them through here. Two leads merging
   * records into each other offline make a cycle: its smallest id stands for all of it,
   * the same on every device.
   */
  resolveId(id: string): string {
    const seen: string[] = [];
    let current = id;
    for (;;) {
      const next = this.mergedInto(current);
      if (!next) return current;
      seen.push(current);
      const cycleStart = seen.indexOf(next);
      if (cycleStart >= 0) return seen.slice(cycleStart).sort()[0]!;
      current = next;
    }
  }

  /** `id` and every record merged into it (directly or through other merges). */
  aliasesOf(id: string): string[] {
    return this.stmt.aliases.all({ id }) as string[];
  }

  /** Which of these ids were merged into another record. */
  mergedAmong(ids: string[]): Set<string> {
    return new Set(this.stmt.mergedAmong.all(JSON.stringify(ids)) as string[]);
  }

  /** Every merged-away record of these kinds. */
  mergedOfKinds(kinds: readonly RecordKind[]): string[] {
    return this.stmt.mergedOfKinds.all(JSON.stringify(kinds)) as string[];
  }

  /**
   * Every stored record of any kind and status (deleted and merged-away ones too) with its
   * title, a page at a time in storage order — the one walk subject access and erasure's
   * mention scan both make, resumable across calls: `after` is the last page's `next` (0 to
   * start); `next` is null once the last page is read.
   */
  page(after: number, limit: number): { records: { record: AnyRecord; title: string }[]; next: number | null } {
    const rows = this.stmt.page.all(after, limit) as (RecordRow & { rid: number; title: string })[];
    return {
      records: rows.map((row) => ({ record: rowToRecord(row), title: row.title })),
      next: rows.length < limit ? null : rows.at(-1)!.rid,
    };
  }

  /** How many records are stored, of any kind and status (as the projection keeps count: no scan). */
  storedCount(): number {
    return this.stmt.storedCount.get() as number;
  }

  /** A record's title as lists show it ('(missing record)' if there is none). */
  titleOf(id: string): string {
    return this.brief(id)?.title ?? '(missing record)';
  }

  /** Active records per kind with a list (the privacy settings are settings, not records anyone counts). */
  activeCounts(): Record<ListedKind, number> {
    const counts = Object.fromEntries(LISTED_KINDS.map((k) => [k, 0])) as Record<ListedKind, number>;
    for (const { kind, n } of this.stmt.countByKind.all() as { kind: RecordKind; n: number }[]) {
      if (kind in counts) counts[kind as ListedKind] = n;
    }
    return counts;
  }

  /** Records of one kind and status, as the projection keeps count of them (no scan). */
  countOf(kind: RecordKind, status: RecordStatus): number {
    return (this.stmt.countOf.get({ kind, status }) as { n: number } | undefined)?.n ?? 0;
  }

  /** The workspace's privacy settings: as a lead saved them, or the defaults until one has. */
  policy(): PolicyData {
    const stored = this.stored(POLICY_ID);
    return stored?.kind === 'policy' ? stored.data : DEFAULT_POLICY;
  }

  /** What the consent rules read of these contacts (shared/privacy/consent-rules.ts), by id; ids of no contact are left out. */
  groundsOf(ids: readonly string[]): Map<string, PersonGrounds & { type: string }> {
    const rows = this.stmt.grounds.all(JSON.stringify(ids)) as { id: string; type: string; consents: string | null; lawfulBasis: string | null }[];
    return new Map(
      rows.map((r) => [r.id, { type: r.type, consents: r.consents ? JSON.parse(r.consents) : [], lawfulBasis: r.lawfulBasis ? JSON.parse(r.lawfulBasis) : null }]),
    );
  }

  /** A record as readers see it: references to merged-away records point at their survivors. */
  present<R extends AnyRecord>(record: R): R {
    const data = presentData(record.kind, record.data, (id) => this.resolveId(id));
    return data === record.data ? record : { ...record, data };
  }
}
