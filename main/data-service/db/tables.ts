// Every table of a workspace file is claimed by the module that owns it: what its rows hold
// about a person, and how one record's rows are found. Erasing a person and answering a
// subject access request walk this list (WORKSPACE_TABLES), so a table that holds personal
// data cannot be forgotten; tests/unit/tables.test.ts fails when a migration creates a
// table no module claims. A new table: claim it in the module that writes it, and add that
// module's list here. A table holding a person's data says which sections of their subject
// access export show it (`subjectAccess`): tests/unit/tables.test.ts fails on one that does
// not, and checks those sections hold that person's rows.
import { DOC_STORE_TABLES } from '../doc-store';
import { HISTORY_TABLES } from '../history';
import { IMPORT_TABLES } from '../import/batches';
import { META_TABLES } from '../meta-store';
import { ACCESS_LOG_TABLES } from '../privacy/access-log';
import { PROJECTION_TABLE_CLAIMS } from '../projection';
import { ERASURE_TABLES } from '../privacy/erasure-log';
import { OUTBOX_TABLES } from '../sync/outbox';
import { CONFLICT_TABLES } from '../team/conflicts';
import { REVIEW_TABLES } from '../team/review';
import { MIGRATION_TABLES } from './migrations';
import type { SubjectAccessReport } from '../../../shared/rpc-privacy';
import type { SqliteDatabase } from './sqlite';

/** A section of a subject access export. */
export type SubjectAccessSection = Exclude<keyof SubjectAccessReport, 'format' | 'version' | 'exportId' | 'generatedAt' | 'generatedBy' | 'workspace' | 'notice'>;

export interface TableClaim {
  table: string;
  /** What a row holds about a person, in words ("nothing personal" if nothing). */
  personal: string;
  /**
   * The WHERE clause that finds the rows a record's own data put there, `@id` its id; null
   * when rows do not belong to records (settings, counts). Rows of other records that name
   * it (a session's attendee) are found through those records' references (shared/domain).
   */
  recordRows: string | null;
  /**
   * Where a person's export shows what the rows of their own records (and of a session or
   * connection naming them) hold; absent when the table holds nothing about a person.
   */
  subjectAccess?: readonly SubjectAccessSection[];
  /** Rows found through the record's `records.rid` (recordRows reads `records`): erasure deletes them before the record's row. */
  byRid?: true;
  /** An FTS5 table: SQLite's shadow tables (`<table>_data`, `_idx`, …) are claimed with it. */
  fts?: true;
  /**
   * Take a record's person out of rows that are not the record's own but may name them (a
   * file name), as it is erased: run before any of its rows are deleted (privacy/erasure.ts).
   */
  beforeErase?: (db: SqliteDatabase, id: string) => void;
}

export const WORKSPACE_TABLES: readonly TableClaim[] = [
  ...MIGRATION_TABLES,
  ...META_TABLES,
  ...DOC_STORE_TABLES,
  ...OUTBOX_TABLES,
  ...HISTORY_TABLES,
  ...PROJECTION_TABLE_CLAIMS,
  ...CONFLICT_TABLES,
  ...REVIEW_TABLES,
  ...ACCESS_LOG_TABLES,
  ...ERASURE_TABLES,
  ...IMPORT_TABLES,
];
