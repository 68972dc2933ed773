// The device's maps, under <dataDir>/maps/ (never in the workspace file, which syncs and
// should stay small): imported packs in packs/ with their list in packs.json, imports in
// progress in incoming/, the online tile cache in tile-cache/, the settings in settings.json.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '../../../shared/rpc';
import type { MapPack, MapSettings, PackFormat } from '../../../shared/rpc-map';
import { checkChunk, type ChunkedUpload } from '../chunked-upload';
import { openPack, PackError, type PackReader } from './packs';
import { TileCache, type Fetcher } from './tile-cache';

interface Upload extends ChunkedUpload {
  fileName: string;
  format: PackFormat;
  fd: number;
  path: string;
}

interface StoredSettings {
  tileUrl: string | null;
  attribution: string;
}

function writeJsonAtomically(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2));
  renameSync(`${path}.tmp`, path);
}

const fileIssue = (message: string) => RpcError.invalid([{ field: 'file', message }]);

export class MapStore {
  readonly dir: string;
  private readonly packsDir: string;
  private readonly incomingDir: string;
  private readonly tileCache: TileCache;
  private readonly uploads = new Map<string, Upload>();
  private readonly readers = new Map<string, Promise<PackReader>>();

  constructor(dataDir: string, fetcher?: Fetcher) {
    this.dir = join(dataDir, 'maps');
    this.packsDir = join(this.dir, 'packs');
    this.incomingDir = join(this.dir, 'incoming');
    this.tileCache = new TileCache(join(this.dir, 'tile-cache'), fetcher);
    mkdirSync(this.packsDir, { recursive: true });
    // Imports a previous run left unfinished can never be finished: their uploader is gone.
    rmSync(this.incomingDir, { recursive: true, force: true });
    mkdirSync(this.incomingDir, { recursive: true });
  }

  private get indexPath(): string {
    return join(this.dir, 'packs.json');
  }

  private get settingsPath(): string {
    return join(this.dir, 'settings.json');
  }

  packs(): MapPack[] {
    if (!existsSync(this.indexPath)) return [];
    return JSON.parse(readFileSync(this.indexPath, 'utf8')) as MapPack[];
  }

  private packPath(pack: Pick<MapPack, 'id' | 'format'>): string {
    return join(this.packsDir, `${pack.id}.${pack.format}`);
  }

  startImport(fileName: string, bytes: number): { uploadId: string } {
    const uploadId = randomUUID();
    const format: PackFormat = fileName.toLowerCase().endsWith('.mbtiles') ? 'mbtiles' : 'pmtiles';
    const path = join(this.incomingDir, `${uploadId}.part`);
    this.uploads.set(uploadId, { fileName, format, bytes, received: 0, fd: openSync(path, 'w'), path });
    return { uploadId };
  }

  private upload(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new RpcError('not_found', 'no map pack import with this id: it was finished, cancelled, or the app restarted since it began', [{ field: 'uploadId', message: 'no such import' }]);
    return upload;
  }

  appendChunk(uploadId: string, offset: number, data: Uint8Array): { received: number } {
    const upload = this.upload(uploadId);
    checkChunk(upload, offset, data.length);
    writeSync(upload.fd, data, 0, data.length, offset);
    upload.received += data.length;
    return { received: upload.received };
  }

  cancelImport(uploadId: string): null {
    const upload = this.uploads.get(uploadId);
    if (upload) this.discard(uploadId, upload);
    return null;
  }

  private discard(uploadId: string, upload: Upload): void {
    this.uploads.delete(uploadId);
    closeSync(upload.fd);
    rmSync(upload.path, { force: true });
  }

  /** Check the received file and keep it; a file that is not a usable pack is deleted and nothing else changes. */
  async finishImport(uploadId: string): Promise<MapPack> {
    const upload = this.upload(uploadId);
    if (upload.received !== upload.bytes) {
      this.discard(uploadId, upload);
      throw fileIssue(`${upload.fileName}: only ${upload.received} of ${upload.bytes} bytes arrived; import it again`);
    }
    this.uploads.delete(uploadId);
    closeSync(upload.fd);
    let reader: PackReader;
    try {
      reader = await openPack(upload.path, upload.format, upload.fileName.replace(/\.(pm|mb)tiles$/i, ''));
    } catch (error) {
      rmSync(upload.path, { force: true });
      if (error instanceof PackError) throw fileIssue(`${upload.fileName} was not imported: ${error.message}`);
      throw error;
    }
    await reader.close();
    const pack: MapPack = {
      id: randomUUID(),
      ...reader.info,
      fileName: upload.fileName,
      format: upload.format,
      bytes: upload.bytes,
      importedAt: new Date().toISOString(),
    };
    renameSync(upload.path, this.packPath(pack));
    writeJsonAtomically(this.indexPath, [...this.packs(), pack]);
    return pack;
  }

  async removePack(id: string): Promise<MapPack[]> {
    const packs = this.packs();
    const pack = packs.find((p) => p.id === id);
    if (!pack) throw new RpcError('not_found', `no map pack with id ${id}`, [{ field: 'id', message: 'no such map pack' }]);
    const reader = this.readers.get(id);
    this.readers.delete(id);
    if (reader) await (await reader).close();
    const rest = packs.filter((p) => p.id !== id);
    writeJsonAtomically(this.indexPath, rest);
    rmSync(this.packPath(pack), { force: true });
    return rest;
  }

  private reader(id: string): Promise<PackReader> | null {
    let reader = this.readers.get(id);
    if (!reader) {
      const pack = this.packs().find((p) => p.id === id);
      if (!pack) return null;
      reader = openPack(this.packPath(pack), pack.format, pack.name);
      reader.catch(() => this.readers.delete(id));
      this.readers.set(id, reader);
    }
    return reader;
  }

  async tile(source: { pack: string } | 'online', z: number, x: number, y: number): Promise<Uint8Array | null> {
    if (source === 'online') {
      const { tileUrl } = this.storedSettings();
      return tileUrl ? this.tileCache.tile(tileUrl, z, x, y) : null;
    }
    const reader = this.reader(source.pack);
    if (!reader) throw new RpcError('not_found', `no map pack with id ${source.pack}`, [{ field: 'source.pack', message: 'no such map pack' }]);
    return (await reader).tile(z, x, y);
  }

  private storedSettings(): StoredSettings {
    if (!existsSync(this.settingsPath)) return { tileUrl: null, attribution: '' };
    return JSON.parse(readFileSync(this.settingsPath, 'utf8')) as StoredSettings;
  }

  settings(): MapSettings {
    const { tiles, bytes } = this.tileCache.usage();
    return { ...this.storedSettings(), cachedTiles: tiles, cachedBytes: bytes };
  }

  updateSettings(update: { tileUrl: string; attribution: string }): MapSettings {
    writeJsonAtomically(this.settingsPath, { tileUrl: update.tileUrl || null, attribution: update.attribution } satisfies StoredSettings);
    return this.settings();
  }

  clearTileCache(): MapSettings {
    this.tileCache.clear();
    return this.settings();
  }

  async close(): Promise<void> {
    for (const [uploadId, upload] of this.uploads) this.discard(uploadId, upload);
    const readers = [...this.readers.values()];
    this.readers.clear();
    await Promise.all(readers.map(async (r) => (await r).close().catch(() => undefined)));
  }

  /** Files in incoming/: imports under way. */
  incomingFiles(): string[] {
    return readdirSync(this.incomingDir);
  }
}
