// The map's part of the RPC contract: basemap and map-pack tiles served from disk by the
// data service, map packs, tile caching, placing assets. Listed in RPC_AREAS by shared/rpc.ts.
import { z } from 'zod';
import { returns } from './rpc-area';

/**
 * Every active asset with a location, as parallel arrays (one index per asset), so 10,000
 * of them cross the wire as a few compact arrays rather than 10,000 objects.
 */
export interface MapAssets {
  ids: string[];
  names: string[];
  /** Index into ASSET_CATEGORIES. */
  categories: number[];
  lon: number[];
  lat: number[];
  /** Indexes into `themeNames`. */
  themes: number[][];
  themeNames: string[];
  /**
   * Assets with no location of their own, drawn where placed assets with the same postcode
   * (or postcode sector, or district) are: `from` says how close that is. Their records
   * stay without coordinates until someone places them.
   */
  approximate: { index: number; from: ApproximateFrom }[];
  /** Active assets without a location or a usable postcode: how many, and the first of them by name. */
  unplaced: { total: number; first: { id: string; name: string; postcode: string }[] };
}

export type ApproximateFrom = 'postcode' | 'postcode sector' | 'postcode district';

/** How many unplaced assets `map.assets` names. */
export const UNPLACED_LISTED = 100;

export const PACK_FORMATS = ['pmtiles', 'mbtiles'] as const;
export type PackFormat = (typeof PACK_FORMATS)[number];
/** What a pack's tiles are: pictures (drawn as they are) or vector data (drawn with a generic style). */
export const TILE_TYPES = ['png', 'jpg', 'webp', 'pbf'] as const;
export type TileType = (typeof TILE_TYPES)[number];

/** A map pack imported on this device. */
/** What a pack file says about itself (read by main/data-service/maps/packs.ts). */
export interface PackInfo {
  /** The pack's own name (its metadata), else the file's name. */
  name: string;
  tileType: TileType;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  /** Vector packs: their layers, for the generic style. */
  vectorLayers: string[];
  attribution: string;
}

/** An imported pack. */
export interface MapPack extends PackInfo {
  id: string;
  fileName: string;
  format: PackFormat;
  bytes: number;
  importedAt: string;
}

/** Largest map pack accepted. */
export const MAX_PACK_BYTES = 8 * 1024 ** 3;
/** Bytes per import chunk before base64: well under the connection's message limit. */
export const PACK_CHUNK_BYTES = 1024 * 1024;

const uploadId = z.uuid('must be the id map.packImportStart returned');

export const PackImportStart = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(255, 'must be at most 255 characters')
    .regex(/\.(pmtiles|mbtiles)$/i, 'must be a .pmtiles or .mbtiles file'),
  bytes: z
    .number()
    .int()
    .min(1, 'the file is empty')
    .max(MAX_PACK_BYTES, `must be at most ${MAX_PACK_BYTES / 1024 ** 3} GB`),
});

export const PackImportChunk = z.strictObject({
  uploadId,
  /** Where this chunk starts in the file: chunks arrive in order. */
  offset: z.number().int().min(0),
  data: z.base64('must be base64-encoded bytes').max(Math.ceil(PACK_CHUNK_BYTES / 3) * 4, 'chunk is too large'),
});

/** Where a tile comes from: an imported pack, or the workspace's online tile source (cached). */
export const TileSourceRef = z.union([z.strictObject({ pack: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a map pack id') }), z.literal('online')]);

export const TileRequest = z.strictObject({
  source: TileSourceRef,
  z: z.number().int().min(0).max(24),
  x: z.number().int().min(0),
  y: z.number().int().min(0),
});

/** A tile's bytes (base64), or null where the source has none. */
export interface TileResponse {
  data: string | null;
}

export interface MapSettings {
  /** An XYZ tile URL template with {z}, {x} and {y}, or null: no online tiles. */
  tileUrl: string | null;
  /** Credit shown on the map for the online tiles. */
  attribution: string;
  /** Tiles viewed so far and kept on disk for offline use. */
  cachedTiles: number;
  cachedBytes: number;
}

export const MapSettingsUpdate = z.strictObject({
  tileUrl: z
    .string()
    .trim()
    .max(500, 'must be at most 500 characters')
    .refine((url) => url === '' || /^https?:\/\/[^\s]+$/i.test(url), 'must start with https:// (or http://)')
    .refine((url) => url === '' || ['{z}', '{x}', '{y}'].every((p) => url.includes(p)), 'must contain {z}, {x} and {y}'),
  attribution: z.string().trim().max(300, 'must be at most 300 characters').default(''),
});

export const MAP_RPC_METHODS = {
  /** Placed assets in compact arrays, and the count and first of those not yet placed. */
  'map.assets': { params: z.strictObject({}), result: returns<MapAssets>() },
  'map.packs': { params: z.strictObject({}), result: returns<MapPack[]>() },
  /** Begin importing a map pack; its bytes follow with map.packImportChunk. */
  'map.packImportStart': { params: PackImportStart, result: returns<{ uploadId: string }>() },
  'map.packImportChunk': { params: PackImportChunk, result: returns<{ received: number }>() },
  /** Check the whole file and keep it; a bad file is refused with what was wrong, and nothing is kept. */
  'map.packImportFinish': { params: z.strictObject({ uploadId }), result: returns<MapPack>() },
  'map.packImportCancel': { params: z.strictObject({ uploadId }), result: returns<null>() },
  'map.packRemove': { params: z.strictObject({ id: z.string().max(100) }), result: returns<MapPack[]>() },
  'map.tile': { params: TileRequest, result: returns<TileResponse>() },
  'map.settings': { params: z.strictObject({}), result: returns<MapSettings>() },
  'map.updateSettings': { params: MapSettingsUpdate, result: returns<MapSettings>() },
  /** Forget every cached online tile. */
  'map.clearTileCache': { params: z.strictObject({}), result: returns<MapSettings>() },
} as const;
