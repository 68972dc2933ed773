// Runs the data service (main/data-service/service-process.ts) in an Electron utility
// process: forks it, hands it MessagePorts, answers its keychain requests, restarts it if it
// dies, stops it on quit.
import { safeStorage, utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import type { ServiceControlMessage, ServiceRequestMessage } from '../data-service/service-process';
import { answerKeychain } from './keychain';

/** Restarts allowed within RESTART_WINDOW_MS; past that the service is failing on start. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;
/** How long a clean shutdown (closing the database, checkpointing the WAL) may take. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface UnexpectedExit {
  code: number;
  /** False once the service keeps dying: the app should close. */
  restarted: boolean;
}

export class DataServiceHost {
  private child: UtilityProcess | null = null;
  private stopping: Promise<void> | null = null;
  private recentCrashes: number[] = [];

  constructor(
    private readonly modulePath: string,
    private readonly dataDir: string,
    private readonly onUnexpectedExit: (exit: UnexpectedExit) => void,
  ) {}

  start(): void {
    const child = utilityProcess.fork(this.modulePath, [`--data-dir=${this.dataDir}`], {
      serviceName: 'Community Fieldbook data service',
      stdio: 'inherit',
      // Said outright: the service (and its worker threads) must see FIELDBOOK_SQLITE_BINDING (db/sqlite.ts).
      env: { ...process.env },
    });
    child.on('message', (message: ServiceRequestMessage) => {
      if (message?.type === 'keychain') child.postMessage(answerKeychain(message, safeStorage) satisfies ServiceControlMessage);
    });
    child.on('exit', (code) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.stopping) return;
      const now = Date.now();
      this.recentCrashes = [...this.recentCrashes.filter((t) => now - t < RESTART_WINDOW_MS), now];
      const restarted = this.recentCrashes.length <= MAX_RESTARTS;
      if (restarted) this.start();
      this.onUnexpectedExit({ code, restarted });
    });
    this.child = child;
  }

  /** Give the service one end of a channel; the service serves RPC on it until it closes. */
  connect(port: MessagePortMain): void {
    if (this.child) this.send({ type: 'connect' }, [port]);
    else port.close();
  }

  /**
   * Ask the service to close its database and exit; kill it if it does not within the
   * timeout. Killing loses nothing acknowledged: every acknowledged write is committed
   * to the WAL already, and SQLite replays it on the next open.
   */
  stop(): Promise<void> {
    this.stopping ??= new Promise((resolve) => {
      const child = this.child;
      if (!child) return resolve();
      const timer = setTimeout(() => child.kill(), SHUTDOWN_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.send({ type: 'shutdown' });
    });
    return this.stopping;
  }

  private send(message: ServiceControlMessage, transfer?: MessagePortMain[]): void {
    this.child?.postMessage(message, transfer);
  }
}
