// Opening a workspace file: the one place its pragmas, migrations and checkpointing are set,
// for the data service, the duplicate scan's reader, the benches and the tests alike. The
// file's key, when it is encrypted, is an option here, passed on to openSqlite.
import { writeBackup } from './backups';
import { forgetClosedCleanly, markClosedCleanly } from './file-check';
import { hasPendingMigrations, migrate } from './migrations';
import { registerFacetFunctions } from '../facet-value';
import { logProblem } from '../log';
import { openSqlite, type SqliteDatabase } from './sqlite';

export interface WorkspaceDbOptions {
  /**
   * `full` (default) syncs the WAL to disk on every commit, so a finished write survives
   * power loss too; `normal` survives a killed process but not a power cut.
   */
  durability?: 'full' | 'normal';
  /**
   * A reader beside the data service (a duplicate scan's worker): opens an existing file
   * without migrating or writing it; WAL lets it read while the writer goes on.
   */
  readonly?: boolean;
  /** The file's 256-bit key (db/sqlite.ts); a workspace created with one is encrypted, file and WAL. */
  key?: Buffer;
  /** The workspace's own file: a clean close leaves a marker so the next start can skip the full check (db/file-check.ts). */
  markCleanClose?: boolean;
}

/**
 * Pages in the WAL past which SQLite checkpoints on its own, even while writes go on
 * (~400 MB). Only long bulk work (an import, a first sync, a restore) reaches it: each of its
 * batches rewrites thousands of the same index pages, and every checkpoint copies them into
 * the file and waits for the disk, so at 10,000 pages the reference build spent more time
 * waiting on checkpoints than on some of its tables (README, *Bulk write path*).
 */
const WAL_AUTOCHECKPOINT_PAGES = 100_000;
/** Bytes the WAL file is cut back to once a checkpoint has emptied it: a bulk write's 400 MB are not kept on disk after it. */
const WAL_SIZE_LIMIT_BYTES = 40 * 1024 * 1024;
/** The WAL is checkpointed once nothing has been written for this long. */
const CHECKPOINT_IDLE_MS = 1_000;

/** A workspace file, open and tuned: its connection, and the checkpointing its writer needs. */
export class WorkspaceDb {
  private lastWriteAt = 0;
  private checkpointTimer: NodeJS.Timeout | null = null;

  /** A read found a damaged page: the file is not marked clean when closed, so the next start checks it all. */
  private damageFound = false;

  /** `markAt`: the file to mark as closed cleanly when this writer closes it (null: none). */
  constructor(
    readonly sql: SqliteDatabase,
    private readonly markAt: string | null = null,
  ) {}

  foundDamage(): void {
    this.damageFound = true;
  }

  /** Checkpoint the WAL once writes pause (see WAL_AUTOCHECKPOINT_PAGES), off every edit's path. Call after each committed write. */
  wrote(): void {
    this.lastWriteAt = Date.now();
    if (this.checkpointTimer) return;
    const check = () => {
      const quietFor = Date.now() - this.lastWriteAt;
      if (quietFor < CHECKPOINT_IDLE_MS) {
        this.checkpointTimer = setTimeout(check, CHECKPOINT_IDLE_MS - quietFor).unref();
        return;
      }
      this.checkpointTimer = null;
      // PASSIVE: never waits for readers (a duplicate scan's connection); what it cannot copy now waits for the next one.
      if (this.sql.open) this.sql.pragma('wal_checkpoint(PASSIVE)');
    };
    this.checkpointTimer = setTimeout(check, CHECKPOINT_IDLE_MS).unref();
  }

  /**
   * Copy the whole WAL into the file now and empty it (after an erasure: the WAL's older
   * frames still hold the pages as they were before). Waits for readers up to busy_timeout.
   */
  checkpointNow(): void {
    if (this.sql.open && !this.sql.readonly) this.sql.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * Copy the whole WAL into the file (the writer's last act) and close. Never throws: on a
   * full disk (or any I/O error) the checkpoint fails, which loses nothing, since every write
   * is already committed to the WAL and the next open reads it; the problem is logged.
   */
  close(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    if (!this.sql.open) return;
    let clean = !this.damageFound;
    try {
      if (!this.sql.readonly) this.sql.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      clean = false;
      logProblem(`could not copy the WAL into ${this.sql.name} while closing it (its changes stay in the WAL)`, error);
    }
    try {
      this.sql.close();
    } catch (error) {
      clean = false;
      logProblem(`could not close ${this.sql.name} cleanly`, error);
    }
    if (clean && this.markAt) {
      try {
        markClosedCleanly(this.markAt);
      } catch (error) {
        // Without the marker the next start only checks the whole file.
        logProblem(`could not mark ${this.markAt} as closed cleanly`, error);
      }
    }
  }
}

/** Open a workspace file (created with its schema if missing, ':memory:' for tests), tuned and migrated. */
export function openWorkspaceDb(path: string, options: WorkspaceDbOptions = {}): WorkspaceDb {
  const markAt = options.markCleanClose && !options.readonly && path !== ':memory:' ? path : null;
  // Before anything is written: from here until a clean close, the file is not as it was left.
  if (markAt) forgetClosedCleanly(markAt);
  const db = openSqlite(path, { key: options.key, ...(options.readonly ? { readonly: true, fileMustExist: true } : {}) });
  try {
    registerFacetFunctions(db);
    db.pragma('busy_timeout = 5000');
    // Freed pages are overwritten with zeros, so a deleted or erased record's bytes do not
    // linger in the file (or its WAL) until the page happens to be reused.
    db.pragma('secure_delete = ON');
    // 64 MB of page cache (the default is 2 MB): the reference workspace's id indexes
    // alone exceed 2 MB, so every write and lookup would otherwise re-read pages.
    db.pragma('cache_size = -65536');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
      // A checkpoint copies the WAL into the database file, in the writer's thread. At
      // SQLite's default (every 1,000 pages, ~33 edits here) one edit in 33 paid for it; the
      // checkpoint now runs once writes pause (WorkspaceDb.wrote), and this larger bound only
      // keeps the WAL from growing without end during long bulk work (a first sync, an import).
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      // What the file held before this version changed it, should the change go wrong or lose something.
      if (!db.memory && hasPendingMigrations(db)) writeBackup(db, path, 'before-migration', new Date());
      migrate(db);
    }
    return new WorkspaceDb(db, markAt);
  } catch (error) {
    db.close();
    throw error;
  }
}
