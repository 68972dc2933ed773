// Online tiles, kept for offline use: a tile the map asks for is served from disk when it
// is there and fresh, otherwise fetched from the workspace's tile source (when the device
// is online) and written to disk. Only tiles the user actually views are fetched, at most
// two at a time, never in bulk (the OpenStreetMap tile usage policy forbids bulk download).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A cached tile older than this is fetched again when the device is online; kept when it is not. */
export const TILE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const FETCH_TIMEOUT_MS = 10_000;
const MAX_CONCURRENT_FETCHES = 2;
/** Tile servers ask clients to say who they are. */
export const TILE_USER_AGENT = 'CommunityFieldbook/0.1 (offline-first community asset mapping; tiles viewed by the user only)';

export type Fetcher = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export class TileCache {
  private readonly inFlight = new Map<string, Promise<Uint8Array | null>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(
    readonly dir: string,
    private readonly fetcher: Fetcher = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** Where the tile of this source lives on disk: one folder per URL template, so a new source never shows an old one's tiles. */
  pathOf(template: string, z: number, x: number, y: number): string {
    const source = createHash('sha256').update(template).digest('hex').slice(0, 16);
    return join(this.dir, source, String(z), String(x), `${y}.tile`);
  }

  async tile(template: string, z: number, x: number, y: number): Promise<Uint8Array | null> {
    const path = this.pathOf(template, z, x, y);
    const cached = existsSync(path) ? statSync(path) : null;
    if (cached && this.now() - cached.mtimeMs < TILE_MAX_AGE_MS) return readFileSync(path);
    let pending = this.inFlight.get(path);
    if (!pending) {
      const url = template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
      pending = this.fetchAndStore(url, path).finally(() => this.inFlight.delete(path));
      this.inFlight.set(path, pending);
    }
    const fetched = await pending;
    // Offline or the server failed: a stale tile beats a blank map.
    return fetched ?? (cached ? readFileSync(path) : null);
  }

  private async fetchAndStore(url: string, path: string): Promise<Uint8Array | null> {
    await this.slot();
    try {
      const response = await this.fetcher(url, { headers: { 'User-Agent': TILE_USER_AGENT }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) return null;
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length === 0) return null;
      mkdirSync(dirname(path), { recursive: true });
      // Written whole or not at all, so a crash never leaves half a tile to serve.
      writeFileSync(`${path}.tmp`, bytes);
      renameSync(`${path}.tmp`, path);
      return bytes;
    } catch {
      return null;
    } finally {
      this.release();
    }
  }

  private slot(): Promise<void> {
    if (this.active < MAX_CONCURRENT_FETCHES) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** How many tiles are kept, and their size on disk. */
  usage(): { tiles: number; bytes: number } {
    let tiles = 0;
    let bytes = 0;
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.tile')) {
          tiles++;
          bytes += statSync(path).size;
        }
      }
    };
    if (existsSync(this.dir)) walk(this.dir);
    return { tiles, bytes };
  }

  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
