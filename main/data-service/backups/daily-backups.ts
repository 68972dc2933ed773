// The daily backup of the open workspace: taken when the workspace opens if the newest
// backup is a day old (or there is none), then every 24 hours while it stays open, each in a
// worker thread (backup-worker.ts) so edits are never held up by it.
import { DAILY_BACKUP_MS, dailyBackupDueIn } from '../db/backups';
import { logProblem } from '../log';
import { startWorker } from '../worker-thread';
import type { BackupJob, BackupJobResult } from './backup-worker';

/** After a failed backup (a full disk), the next try. */
const RETRY_MS = 3_600_000;

export class DailyBackups {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The backup being taken now, if one is: settles once it ends, either way. */
  running: Promise<BackupJobResult> | null = null;

  constructor(
    private readonly workspacePath: string,
    private readonly key: Buffer | undefined,
    private readonly now: () => Date,
  ) {}

  /** Take the day's backup now if it is due, and plan the next. */
  start(): void {
    const due = dailyBackupDueIn(this.workspacePath, this.now());
    if (due === 0) this.run();
    else this.plan(due);
  }

  private plan(ms: number): void {
    this.timer = setTimeout(() => this.run(), ms).unref();
  }

  private run(): void {
    this.timer = null;
    const job: BackupJob = { workspacePath: this.workspacePath, key: this.key ?? null, at: this.now().toISOString() };
    const worker = startWorker('backups/backup-worker', job);
    this.running = new Promise<BackupJobResult>((resolve) => {
      let settled = false;
      const done = (result: BackupJobResult) => {
        if (settled) return;
        settled = true;
        this.running = null;
        if (!result.ok) logProblem('the daily backup failed (the workspace is unchanged; it will be tried again in an hour)', result.message);
        if (!this.stopped) this.plan(result.ok ? DAILY_BACKUP_MS : RETRY_MS);
        resolve(result);
      };
      worker.once('message', done);
      worker.once('error', (error) => done({ ok: false, message: error.message }));
      worker.once('exit', () => done({ ok: false, message: 'the backup thread stopped before it finished' }));
    });
  }

  /**
   * Stop planning backups; resolves once a backup being taken has finished. It is not cut
   * short: stopping a thread inside a SQLite call (VACUUM INTO) can abort the whole process
   * (better-sqlite3 issue #1507), and a backup takes seconds.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
