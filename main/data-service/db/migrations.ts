// Forward-only schema migrations. Each runs once, in its own transaction, and the
// schema_version table records how far a workspace file has come.
import type { SqliteDatabase } from './sqlite';
import { rederiveFacets, reindexSearch } from '../projection';
import type { TableClaim } from './tables';

interface Migration {
  version: number;
  description: string;
  sql?: string;
  /** Work SQL alone cannot do, such as deriving rows again in TypeScript; runs after `sql`. */
  run?: (db: SqliteDatabase) => void;
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'CRDT store, projections and search index',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

      -- The source of truth: one Y.Doc per record, held as a snapshot plus the updates
      -- appended since the last compaction.
      CREATE TABLE docs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        snapshot BLOB,
        pending_updates INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE doc_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL,
        data BLOB NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
        author_id TEXT NOT NULL,
        hlc TEXT NOT NULL
      );
      CREATE INDEX doc_updates_by_doc ON doc_updates (doc_id, seq);

      -- Who changed which field, when. An audit log, kept beside the CRDT.
      CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        record_id TEXT NOT NULL,
        field TEXT NOT NULL,
        before TEXT,
        after TEXT,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        hlc TEXT NOT NULL
      );
      CREATE INDEX history_by_record ON history (record_id, hlc);

      -- The read model. Everything below is derived from the docs and can be rebuilt.
      CREATE TABLE records (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'deleted', 'merged')),
        title TEXT NOT NULL,
        sort_key TEXT NOT NULL,
        subtitle TEXT NOT NULL,
        badges TEXT NOT NULL,
        category TEXT,
        date TEXT,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        deleted_at TEXT,
        deleted_by TEXT,
        merged_into TEXT
      );
      CREATE INDEX records_by_title ON records (kind, status, sort_key, id);
      CREATE INDEX records_by_category ON records (kind, status, category, sort_key, id);
      CREATE INDEX records_by_date ON records (kind, status, date, id);
      CREATE INDEX records_by_updated ON records (kind, status, updated_at, id);
      CREATE INDEX records_by_created ON records (kind, status, created_at, id);

      -- Multi-valued attributes used by filters and by reference checks:
      -- role, theme, tag, attendee, facilitator, venue, contact-person, action-owner.
      CREATE TABLE record_facets (
        facet TEXT NOT NULL,
        value TEXT NOT NULL,
        record_id TEXT NOT NULL,
        PRIMARY KEY (facet, value, record_id)
      ) WITHOUT ROWID;
      CREATE INDEX record_facets_by_record ON record_facets (record_id);

      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        from_id TEXT NOT NULL,
        to_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        date TEXT
      ) WITHOUT ROWID;
      CREATE INDEX connections_from ON connections (from_id);
      CREATE INDEX connections_to ON connections (to_id);

      CREATE TABLE session_actions (
        session_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        owner_id TEXT,
        due_date TEXT,
        status TEXT NOT NULL,
        PRIMARY KEY (session_id, action_id)
      ) WITHOUT ROWID;
      CREATE INDEX session_actions_by_status ON session_actions (status, due_date);

      CREATE TABLE contact_skills (
        contact_id TEXT NOT NULL,
        skill_id TEXT NOT NULL,
        domain TEXT NOT NULL,
        skill TEXT NOT NULL,
        has INTEGER NOT NULL,
        wants_to_learn INTEGER NOT NULL,
        willing_to_share INTEGER NOT NULL,
        PRIMARY KEY (contact_id, skill_id)
      ) WITHOUT ROWID;

      CREATE TABLE contact_consents (
        contact_id TEXT NOT NULL,
        consent_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        wording_version TEXT NOT NULL,
        given_at TEXT NOT NULL,
        method TEXT NOT NULL,
        withdrawn_at TEXT,
        PRIMARY KEY (contact_id, consent_id)
      ) WITHOUT ROWID;

      -- Global search. rowid = records.rid. Only active records are indexed.
      CREATE VIRTUAL TABLE search_index USING fts5 (
        title, body,
        tokenize = "unicode61 remove_diacritics 2",
        prefix = '1 2 3'
      );
    `,
  },
  {
    version: 2,
    description: 'sync outbox',
    sql: `
      -- Local updates the sync server has not acknowledged yet, written in the same
      -- transaction as the change itself (the creation snapshot included). Removed when acked.
      CREATE TABLE sync_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL,
        data BLOB NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'docs keyed by rowid, record counts',
    sql: `
      -- A WITHOUT ROWID table keeps whole rows in key order, so every new doc (a snapshot
      -- of a few KB under a random UUID) was written into the middle of the tree. Here rows
      -- append, and only the small id index takes random inserts.
      CREATE TABLE docs_by_rowid (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        snapshot BLOB,
        pending_updates INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO docs_by_rowid (id, kind, snapshot, pending_updates)
        SELECT id, kind, snapshot, pending_updates FROM docs ORDER BY id;
      DROP TABLE docs;
      ALTER TABLE docs_by_rowid RENAME TO docs;

      -- Projected records per kind and status (no zero rows), so a list's total and the
      -- workspace's counts are read, never counted, however large the workspace grows.
      CREATE TABLE record_counts (
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (kind, status)
      ) WITHOUT ROWID;
      INSERT INTO record_counts (kind, status, n) SELECT kind, status, count(*) FROM records GROUP BY kind, status;
    `,
  },
  {
    version: 4,
    description: 'team lead: merged-record lookup, conflict inbox, review marks',
    sql: `
      -- Every record merged into a survivor, for resolving references and history to it.
      CREATE INDEX records_by_merged_into ON records (merged_into) WHERE merged_into IS NOT NULL;

      -- What sync settled without anyone choosing (see main/data-service/team/conflicts.ts).
      -- Local to this device, like the history it is found from.
      CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('concurrent', 'edited-after-merge')),
        -- The same conflict found twice (say, when the merge arrives after the edit) is listed once.
        signature TEXT NOT NULL UNIQUE,
        record_id TEXT NOT NULL,
        field TEXT NOT NULL,
        current TEXT NOT NULL,
        others TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT,
        resolution TEXT
      );
      CREATE INDEX conflicts_open ON conflicts (resolved_at, id);

      -- How far the lead has reviewed each worker's changes to each record (a history id).
      CREATE TABLE review_marks (
        record_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        up_to INTEGER NOT NULL,
        PRIMARY KEY (record_id, author_id)
      ) WITHOUT ROWID;
      CREATE INDEX history_by_author ON history (author_id, id);
    `,
  },
  {
    version: 5,
    description: 'history: writes sync did not keep',
    sql: `
      -- 0: a peer's write that lost a conflict (or was replaced before it arrived); the
      -- record never held it, but the review queue and the history still list it. Its
      -- before is the value the record kept instead.
      ALTER TABLE history ADD COLUMN kept INTEGER NOT NULL DEFAULT 1 CHECK (kept IN (0, 1));
    `,
  },
  {
    version: 6,
    description: 'actions by owner',
    sql: `
      -- A contact's page lists the actions they own: found through this index rather than
      -- by reading every action of every session.
      CREATE INDEX session_actions_by_owner ON session_actions (owner_id) WHERE owner_id IS NOT NULL;
    `,
  },
  {
    version: 7,
    description: 'search finds names however their apostrophes and hyphens are typed',
    // The index now also holds "O'Brien" as "obrien" and "Smith-Jones" as "smithjones".
    run: reindexSearch,
  },
  {
    version: 8,
    description: 'conflict inbox: the writes standing on each field while it is in conflict',
    sql: `
      -- Each field (or collection item's property) whose last writes were concurrent: every
      -- one of them, while no later write here has replaced them all. The doc keeps only the
      -- winner; the others are needed to tell which later writes are concurrent with them
      -- (see main/data-service/team/conflicts.ts). Local to this device, like the inbox.
      CREATE TABLE conflict_heads (
        record_id TEXT NOT NULL,
        key TEXT NOT NULL,
        hlc TEXT NOT NULL,
        client INTEGER NOT NULL,
        clock INTEGER NOT NULL,
        -- ConflictValue as JSON: the value, its author and time.
        value TEXT NOT NULL,
        PRIMARY KEY (record_id, key, hlc)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    description: 'changes the sync server refused',
    sql: `
      -- Records whose change the sync server refused (server/push-guard.ts), with its reason.
      -- Their outbox rows are held back (not pushed, not counted as waiting) until the user
      -- discards them, so one refused change never blocks the others.
      CREATE TABLE sync_refused (doc_id TEXT PRIMARY KEY, reason TEXT NOT NULL, refused_at TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    description: 'subject access export log',
    sql: `
      -- One row per subject access export made on this device: its id, when and by whom.
      -- Never whom it was about (see privacy/access-log.ts).
      CREATE TABLE subject_access_log (export_id TEXT PRIMARY KEY, at TEXT NOT NULL, by_id TEXT NOT NULL, by_name TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    version: 11,
    description: 'erasure of a person on every replica',
    sql: `
      -- What a lead's erasure leaves (main/data-service/privacy/erasure.ts): a line per
      -- erasure that names no one (a random id, when, which lead, how many records), and
      -- the erased records' ids, so their data is never taken back from a peer or an editor.
      -- sent: 0 until the sync server has stored the erasure (the lead's device sends it).
      CREATE TABLE erasure_log (
        erasure_id TEXT PRIMARY KEY,
        erased_at TEXT NOT NULL,
        by_id TEXT NOT NULL,
        by_name TEXT NOT NULL,
        records INTEGER NOT NULL,
        sent INTEGER NOT NULL DEFAULT 1,
        reason TEXT
      ) WITHOUT ROWID;
      CREATE TABLE erased_records (record_id TEXT PRIMARY KEY, erasure_id TEXT NOT NULL) WITHOUT ROWID;
      -- A deleted row's words leave the search index itself, not only behind a delete marker
      -- in older segments (FTS5, SQLite 3.44+).
      INSERT INTO search_index (search_index, rank) VALUES ('secure-delete', 1);
    `,
  },
  {
    version: 12,
    description: 'import batches',
    sql: `
      -- One row per import (import/batches.ts): the file it came from (by name and hash, to
      -- resume it), its mapping, duplicate decisions and lawful basis, and how far it got.
      CREATE TABLE import_batches (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        settings TEXT NOT NULL,
        total INTEGER NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL
      ) WITHOUT ROWID;
      -- What each row of the file did: created a record, or was merged into one (with the
      -- values the merge replaced and wrote, so an undo can put back only what nobody changed
      -- since). A row of an attendance register can create a session and a contact.
      CREATE TABLE import_batch_records (
        batch_id TEXT NOT NULL,
        line INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        action TEXT NOT NULL,
        changes TEXT,
        PRIMARY KEY (batch_id, line, record_id)
      ) WITHOUT ROWID;
      CREATE INDEX import_batch_records_record ON import_batch_records (record_id);
    `,
  },
  {
    version: 13,
    description: 'cheaper edits: search deletes by marker, no per-doc update counter',
    sql: `
      -- FTS5's secure-delete removed a row's words from every segment at once: ~2 ms a
      -- deleted row, most of the cost of an edit or an applied peer update. Deleted rows
      -- leave markers instead, and an erasure merges the index ('optimize', in
      -- applyErasure), which drops every deleted row's words from the file.
      INSERT INTO search_index (search_index, rank) VALUES ('secure-delete', 0);
      -- Bumping a counter on the docs row rewrote the row with its snapshot on every
      -- update; the log's own index counts a doc's pending updates.
      ALTER TABLE docs DROP COLUMN pending_updates;
    `,
  },
  {
    version: 14,
    description: "history knows which of this device's changes the sync server has not acknowledged",
    sql: `
      -- The outbox row a local change was queued as, until the server acknowledges it (then
      -- NULL, and the row names the author the server attests). Changes made before this
      -- version read as synced.
      ALTER TABLE history ADD COLUMN outbox_seq INTEGER;
      CREATE INDEX history_unsynced ON history (outbox_seq) WHERE outbox_seq IS NOT NULL;
    `,
  },
  {
    version: 15,
    description: "the lead's list of records holding values that could not be read",
    sql: `
      -- Each invalid field of a record is a facet row (projection.ts), so the list reads the
      -- facet index; records projected before this get theirs from what records.data keeps.
      INSERT OR IGNORE INTO record_facets (facet, value, record_id)
        SELECT 'problem', json_extract(p.value, '$.field'), r.id
        FROM records r, json_each(r.data, '$."$problems"') p
        WHERE r.data LIKE '%"$problems"%';
    `,
  },
  {
    version: 16,
    description: 'cheaper creation: a new record queued for sync without a copy of its snapshot; no FTS5 prefix indexes',
    sql: `
      -- A record created here was queued with a copy of its creation snapshot: every new
      -- record's bytes were stored twice. data NULL now sends the doc's snapshot as stored
      -- at push time (sync/outbox.ts). SQLite cannot drop NOT NULL, so the table is copied,
      -- its sequence carried on, and a waiting row that is its doc's snapshot byte for byte
      -- (a creation not sent yet) becomes such a pointer.
      CREATE TABLE sync_outbox_v16 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL,
        data BLOB
      );
      INSERT INTO sync_outbox_v16 (seq, doc_id, data)
        SELECT o.seq, o.doc_id, CASE WHEN o.data = d.snapshot THEN NULL ELSE o.data END
        FROM sync_outbox o LEFT JOIN docs d ON d.id = o.doc_id ORDER BY o.seq;
      DELETE FROM sqlite_sequence WHERE name = 'sync_outbox_v16';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'sync_outbox_v16', seq FROM sqlite_sequence WHERE name = 'sync_outbox';
      DROP TABLE sync_outbox;
      ALTER TABLE sync_outbox_v16 RENAME TO sync_outbox;

      -- FTS5's prefix indexes (prefix = '1 2 3') wrote every word four times, over a third
      -- of the index's cost per record, and did not make search faster: what a short prefix
      -- costs is ranking its many matches, not finding them (README: Search, Benchmarks). A prefix
      -- query reads the words starting with it from the main index instead.
      DROP TABLE search_index;
      CREATE VIRTUAL TABLE search_index USING fts5 (title, body, tokenize = "unicode61 remove_diacritics 2");
    `,
    run: reindexSearch,
  },
  {
    version: 17,
    description: "cheaper creation: a connection's ends found through its facets, not two indexes of their own",
    sql: `
      -- Every connection's ends were entered twice at random places: as its 'endpoint' facets
      -- and in these two indexes (a tenth of the SQLite work of creating one at reference
      -- size). The facets stay (an erasure finds a deleted connection's ends there too); the
      -- network view and a record's connections read the connections table through them.
      DROP INDEX connections_from;
      DROP INDEX connections_to;
    `,
  },
  {
    version: 18,
    description: 'cheaper creation: the search index keeps no copy of the text it indexes',
    sql: `
      -- FTS5 kept each active record's title and search text in a table of its own, a copy of
      -- what records.title and records.data already hold: ~180 bytes and a B-tree entry a
      -- record, and one more copy of a person's words for an erasure to remove. Contentless,
      -- it keeps only the index; a row is deleted by rowid (contentless_delete), and the
      -- projection compares against the row the stored title and data give (projection.ts).
      DROP TABLE search_index;
      CREATE VIRTUAL TABLE search_index USING fts5 (
        title, body, tokenize = "unicode61 remove_diacritics 2", content = '', contentless_delete = 1
      );
    `,
    run: reindexSearch,
  },
  {
    version: 19,
    description: "cheaper creation: a record's facets found from its stored data, not an index by record",
    sql: `
      -- Every facet was entered twice: under its key and again in this index by record, read
      -- only to find which facets to replace when a record changes (~7 µs of CPU and ~400 bytes
      -- a record at reference size). The projection works them out from the record's stored
      -- data instead (projection.ts), so the table is written again from that data, in case an
      -- earlier version worked some out otherwise; erasure and subject access, which find a
      -- record's rows by record_id, read the whole table (~50 ms at reference size).
      DROP INDEX record_facets_by_record;
    `,
    // Migration 20 writes the table again from that data.
  },
  {
    version: 20,
    description: "cheaper creation: a facet's record kept as its rid and a record id it names as 16 bytes",
    sql: `
      -- A batch of new sessions names people all over this table: with ids as text its rows
      -- were ~88 bytes and such a batch rewrote nearly every page of it (facet-value.ts).
      DROP TABLE record_facets;
      CREATE TABLE record_facets (
        facet TEXT NOT NULL,
        value NOT NULL, -- text, or a record id as its 16 bytes (facet-value.ts)
        record_rid INTEGER NOT NULL, -- records.rid
        PRIMARY KEY (facet, value, record_rid)
      ) WITHOUT ROWID;
    `,
    run: rederiveFacets,
  },
  {
    version: 21,
    description: "cheaper creation: list indexes end at the rowid; session actions in a rowid table; references checked from an index",
    sql: `
      -- Each list index ended with the record's 36-character id to break ties; every index
      -- of a rowid table already ends with the rowid, which breaks them as well (lists order
      -- by rid after their sort column). Their entries are half the size, and a batch of new
      -- records, whose titles and dates land all over them, rewrites half the pages.
      DROP INDEX records_by_title;
      DROP INDEX records_by_category;
      DROP INDEX records_by_date;
      DROP INDEX records_by_updated;
      DROP INDEX records_by_created;
      CREATE INDEX records_by_title ON records (kind, status, sort_key);
      CREATE INDEX records_by_category ON records (kind, status, category, sort_key);
      CREATE INDEX records_by_date ON records (kind, status, date);
      CREATE INDEX records_by_updated ON records (kind, status, updated_at);
      CREATE INDEX records_by_created ON records (kind, status, created_at);
      -- What a new record's references are checked against (RecordReads.referenceTargets),
      -- without reading each named record's whole row: a batch of 2,000 new sessions names
      -- ~14,000 people, whose rows lie all over the table.
      CREATE INDEX records_as_references ON records (id, kind, status, merged_into);

      -- The same for the actions' indexes by status and owner, which ended with the session's
      -- and the action's ids (the key of a table without rowid).
      CREATE TABLE session_actions_new (
        session_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        owner_id TEXT,
        due_date TEXT,
        status TEXT NOT NULL
      );
      INSERT INTO session_actions_new SELECT session_id, action_id, position, text, owner_id, due_date, status FROM session_actions ORDER BY session_id, action_id;
      DROP TABLE session_actions;
      ALTER TABLE session_actions_new RENAME TO session_actions;
      CREATE UNIQUE INDEX session_actions_by_session ON session_actions (session_id, action_id);
      CREATE INDEX session_actions_by_status ON session_actions (status, due_date);
      CREATE INDEX session_actions_by_owner ON session_actions (owner_id) WHERE owner_id IS NOT NULL;
    `,
  },
  {
    version: 22,
    description: "a record's unsent changes merged into one update as they are made",
    sql: `
      -- A change to a record with an update already waiting to be sent is merged with it
      -- (sync/outbox.ts): this finds that update. Counting what waits reads this index too.
      CREATE INDEX sync_outbox_by_doc ON sync_outbox (doc_id, seq);
    `,
  },
];

export const MIGRATION_TABLES: TableClaim[] = [
  { table: 'schema_version', personal: 'nothing personal (how far the file was migrated)', recordRows: null },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

export class NewerSchemaError extends Error {
  constructor(found: number) {
    super(
      `This workspace was written by a newer version of Community Fieldbook (schema ${found}; this version knows up to ${SCHEMA_VERSION}). Update the app to open it.`,
    );
  }
}

const appliedVersions = (db: SqliteDatabase) => new Set(db.prepare('SELECT version FROM schema_version').pluck().all() as number[]);

/** A workspace written by an earlier version: it has a schema, and a migration it has not had yet. */
export function hasPendingMigrations(db: SqliteDatabase): boolean {
  const hasSchema = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get() !== undefined;
  if (!hasSchema) return false;
  const applied = appliedVersions(db);
  return applied.size > 0 && MIGRATIONS.some((migration) => !applied.has(migration.version));
}

export function migrate(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const applied = appliedVersions(db);
  const current = Math.max(0, ...applied);
  if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
  // Every migration not recorded yet, in order (not only those past the highest: a step
  // recorded as undone, as a test does to stand for an older workspace, runs again alone).
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      if (migration.sql) db.exec(migration.sql);
      migration.run?.(db);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(migration.version);
    })();
  }
}
