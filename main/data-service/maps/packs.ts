// Reading map packs: PMTiles (through the pmtiles library, from a file handle) and MBTiles
// (an SQLite file, through better-sqlite3). Opening a pack checks it whole enough to serve
// it — its format, tile type, zoom range and a first tile — and a file that is not a usable
// pack is refused with a PackError that says what is wrong with it, in words for the user.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip } from 'node:zlib';
import { Compression, PMTiles, TileType as PmTileType, type Source } from 'pmtiles';
import type { PackFormat, PackInfo, TileType } from '../../../shared/rpc-map';
import { openSqlite, type SqliteDatabase } from '../db/sqlite';

const gunzipAsync = promisify(gunzip);
const brotliAsync = promisify(brotliDecompress);

/** A file that cannot be used as a map pack; the message says why. */
export class PackError extends Error {
  override readonly name = 'PackError';
}

export interface PackReader {
  readonly info: PackInfo;
  /** The tile at z/x/y (XYZ scheme, y down), uncompressed; null where the pack has none. */
  tile(z: number, x: number, y: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

const WORLD: PackInfo['bounds'] = [-180, -85.0511, 180, 85.0511];

/** The tile type its first bytes show, or null. */
export function sniffTileType(bytes: Uint8Array): TileType | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpg';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46 && bytes[8] === 0x57) return 'webp';
  return null;
}

const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

function parseBounds(text: string | undefined): PackInfo['bounds'] {
  const parts = (text ?? '').split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return WORLD;
  const [w, s, e, n] = parts as [number, number, number, number];
  return w < e && s < n ? [w, s, e, n] : WORLD;
}

function vectorLayerNames(json: unknown): string[] {
  const layers = (json as { vector_layers?: unknown } | null)?.vector_layers;
  if (!Array.isArray(layers)) return [];
  return layers.flatMap((l) => (typeof (l as { id?: unknown })?.id === 'string' ? [(l as { id: string }).id] : []));
}

export async function openPack(path: string, format: PackFormat, fallbackName: string): Promise<PackReader> {
  return format === 'mbtiles' ? openMbtiles(path, fallbackName) : openPmtiles(path, fallbackName);
}

// ---------------------------------------------------------------- MBTiles

const MBTILES_FORMATS: Record<string, TileType> = { png: 'png', jpg: 'jpg', jpeg: 'jpg', webp: 'webp', pbf: 'pbf', mvt: 'pbf' };

function openMbtiles(path: string, fallbackName: string): PackReader {
  let db: SqliteDatabase;
  try {
    db = openSqlite(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch {
    throw new PackError('it is not an MBTiles file: it is not an SQLite database');
  }
  try {
    return readMbtiles(db, fallbackName);
  } catch (error) {
    db.close();
    if (error instanceof PackError) throw error;
    throw new PackError(`it could not be read as an MBTiles file (${error instanceof Error ? error.message : String(error)})`);
  }
}

function readMbtiles(db: SqliteDatabase, fallbackName: string): PackReader {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as { name: string }[]).map((r) => r.name));
  if (!tables.has('tiles')) throw new PackError('it is an SQLite database without a "tiles" table, so not an MBTiles map pack');
  const meta = new Map<string, string>();
  if (tables.has('metadata')) {
    for (const row of db.prepare('SELECT name, value FROM metadata').all() as { name: unknown; value: unknown }[]) {
      if (typeof row.name === 'string' && row.value != null) meta.set(row.name, String(row.value));
    }
  }
  const range = db.prepare('SELECT min(zoom_level) AS minZoom, max(zoom_level) AS maxZoom FROM tiles').get() as { minZoom: number | null; maxZoom: number | null };
  if (range.minZoom === null || range.maxZoom === null) throw new PackError('it contains no tiles');
  const first = db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? LIMIT 1').get(range.minZoom) as { data: unknown } | undefined;
  if (!(first?.data instanceof Uint8Array) || first.data.length === 0) throw new PackError('its first tile is empty or not binary data');

  const declared = meta.get('format')?.toLowerCase();
  const sniffed = isGzip(first.data) ? 'pbf' : sniffTileType(first.data);
  const tileType = declared ? MBTILES_FORMATS[declared] : (sniffed ?? undefined);
  if (!tileType) throw new PackError(`its tiles are in ${declared ? `"${declared}" format` : 'a format not recognised'}; a map pack must hold PNG, JPEG, WebP or vector (pbf) tiles`);
  if (tileType !== 'pbf' && sniffed !== tileType) throw new PackError(`its metadata says ${tileType.toUpperCase()} tiles, but its first tile is not a ${tileType.toUpperCase()} image`);

  let json: unknown = null;
  try {
    json = meta.has('json') ? JSON.parse(meta.get('json')!) : null;
  } catch {
    throw new PackError('its metadata "json" entry is not valid JSON');
  }
  const tileAt = db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').pluck();
  return {
    info: {
      name: meta.get('name')?.trim() || fallbackName,
      tileType,
      minZoom: Number(meta.get('minzoom') ?? range.minZoom) || range.minZoom,
      maxZoom: Number(meta.get('maxzoom') ?? range.maxZoom) || range.maxZoom,
      bounds: parseBounds(meta.get('bounds')),
      vectorLayers: vectorLayerNames(json),
      attribution: meta.get('attribution') ?? '',
    },
    async tile(z, x, y) {
      // MBTiles rows count from the south (TMS); maps ask from the north.
      const data = tileAt.get(z, x, 2 ** z - 1 - y) as Uint8Array | undefined;
      if (!data) return null;
      return isGzip(data) ? new Uint8Array(await gunzipAsync(data)) : data;
    },
    async close() {
      db.close();
    },
  };
}

// ---------------------------------------------------------------- PMTiles

const PMTILES_TYPES: Partial<Record<PmTileType, TileType>> = {
  [PmTileType.Mvt]: 'pbf',
  [PmTileType.Png]: 'png',
  [PmTileType.Jpeg]: 'jpg',
  [PmTileType.Webp]: 'webp',
};

class FileHandleSource implements Source {
  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
  ) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number) {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    // A copy the exact length of what was read, as the library wants an ArrayBuffer of its own.
    return { data: buffer.buffer.slice(0, bytesRead) };
  }
}

async function decompress(data: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(data);
  const out =
    compression === Compression.None || compression === Compression.Unknown
      ? bytes
      : compression === Compression.Gzip
        ? await gunzipAsync(bytes)
        : compression === Compression.Brotli
          ? await brotliAsync(bytes)
          : null;
  if (!out) throw new PackError('it uses Zstandard compression, which this app cannot read');
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
}

async function openPmtiles(path: string, fallbackName: string): Promise<PackReader> {
  const handle = await open(path, 'r');
  try {
    const archive = new PMTiles(new FileHandleSource(handle, path), undefined, decompress);
    const header = await archive.getHeader().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (/magic number/i.test(message)) throw new PackError('it is not a PMTiles file: it does not start with the PMTiles signature');
      if (/spec version/i.test(message)) throw new PackError(`it is a newer PMTiles version than this app reads (${message})`);
      throw new PackError(`its PMTiles header could not be read (${message})`);
    });
    const { size } = await stat(path);
    if (header.tileDataOffset + (header.tileDataLength ?? 0) > size) throw new PackError(`it is truncated: the file is ${size} bytes but its header expects at least ${header.tileDataOffset + (header.tileDataLength ?? 0)}`);
    const tileType = PMTILES_TYPES[header.tileType];
    if (!tileType) throw new PackError('its tiles are in a format this app does not draw; a map pack must hold PNG, JPEG, WebP or vector (MVT) tiles');
    if (header.tileCompression === Compression.Zstd) throw new PackError('it uses Zstandard compression, which this app cannot read');
    if (header.numAddressedTiles === 0) throw new PackError('it contains no tiles');
    const metadata = (await archive.getMetadata().catch(() => {
      throw new PackError('its metadata is not valid JSON');
    })) as { name?: unknown; attribution?: unknown } | null;
    const bounds: PackInfo['bounds'] = header.minLon < header.maxLon && header.minLat < header.maxLat ? [header.minLon, header.minLat, header.maxLon, header.maxLat] : WORLD;
    return {
      info: {
        name: (typeof metadata?.name === 'string' && metadata.name.trim()) || fallbackName,
        tileType,
        minZoom: header.minZoom,
        maxZoom: header.maxZoom,
        bounds,
        vectorLayers: vectorLayerNames(metadata),
        attribution: typeof metadata?.attribution === 'string' ? metadata.attribution : '',
      },
      async tile(z, x, y) {
        if (x >= 2 ** z || y >= 2 ** z) return null;
        const found = await archive.getZxy(z, x, y);
        return found ? new Uint8Array(found.data) : null;
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
