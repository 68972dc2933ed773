// Map packs made by the tests themselves: solid-colour PNG tiles of a colour no basemap
// uses, in an MBTiles (SQLite) or a PMTiles v3 file, so a test can tell the pack's tiles
// on screen or in the data service's answers.
import { encode } from 'fast-png';
import { writeFileSync } from 'node:fs';
import { zxyToTileId } from 'pmtiles';
import { openSqlite } from '../../main/data-service/db/sqlite';

/** A 256×256 PNG of one colour. */
export function solidPng([r, g, b]: readonly [number, number, number]): Uint8Array {
  const data = new Uint8Array(256 * 256 * 3);
  for (let i = 0; i < data.length; i += 3) data.set([r, g, b], i);
  return encode({ width: 256, height: 256, data, channels: 3, depth: 8 });
}

/** Every tile z/x/y of zooms `minZoom`..`maxZoom` (XYZ, y down). */
function allTiles(minZoom: number, maxZoom: number): [number, number, number][] {
  const tiles: [number, number, number][] = [];
  for (let z = minZoom; z <= maxZoom; z++) for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y++) tiles.push([z, x, y]);
  return tiles;
}

export interface FixturePack {
  name: string;
  colour: readonly [number, number, number];
  minZoom: number;
  maxZoom: number;
}

/** An MBTiles file covering the world at zooms minZoom..maxZoom with one PNG for every tile. */
export function writeMbtiles(path: string, { name, colour, minZoom, maxZoom }: FixturePack): void {
  const db = openSqlite(path);
  db.exec(`CREATE TABLE metadata (name TEXT, value TEXT);
           CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
           CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
  const meta = db.prepare('INSERT INTO metadata VALUES (?, ?)');
  for (const [key, value] of Object.entries({ name, format: 'png', minzoom: minZoom, maxzoom: maxZoom, bounds: '-180,-85.0511,180,85.0511', attribution: 'Test pack' })) {
    meta.run(key, String(value));
  }
  const png = solidPng(colour);
  const insert = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const [z, x, y] of allTiles(minZoom, maxZoom)) insert.run(z, x, 2 ** z - 1 - y, png);
  })();
  db.close();
}

function varints(values: number[]): number[] {
  const bytes: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  }
  return bytes;
}

/** A PMTiles v3 file (uncompressed, one root directory) whose every tile is the same PNG, stored once. */
export function writePmtiles(path: string, { name, colour, minZoom, maxZoom }: FixturePack): void {
  const png = solidPng(colour);
  const ids = allTiles(minZoom, maxZoom)
    .map(([z, x, y]) => zxyToTileId(z, x, y))
    .sort((a, b) => a - b);
  // Directory: count, id deltas, run lengths, lengths, offsets (offset + 1; 0 = "right after the previous").
  const directory = Uint8Array.from(
    varints([ids.length, ...ids.map((id, i) => id - (i ? ids[i - 1]! : 0)), ...ids.map(() => 1), ...ids.map(() => png.length), ...ids.map(() => 1)]),
  );
  const metadata = new TextEncoder().encode(JSON.stringify({ name, attribution: 'Test pack' }));
  const header = new DataView(new ArrayBuffer(127));
  const rootOffset = 127;
  const metaOffset = rootOffset + directory.length;
  const dataOffset = metaOffset + metadata.length;
  new Uint8Array(header.buffer).set(new TextEncoder().encode('PMTiles'), 0);
  header.setUint8(7, 3);
  const u64 = (at: number, value: number) => header.setBigUint64(at, BigInt(value), true);
  u64(8, rootOffset);
  u64(16, directory.length);
  u64(24, metaOffset);
  u64(32, metadata.length);
  u64(40, dataOffset + png.length); // no leaf directories
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, png.length);
  u64(72, ids.length);
  u64(80, ids.length);
  u64(88, 1);
  header.setUint8(96, 0); // not clustered: every entry shares one tile
  header.setUint8(97, 1); // internal compression: none
  header.setUint8(98, 1); // tile compression: none
  header.setUint8(99, 2); // PNG
  header.setUint8(100, minZoom);
  header.setUint8(101, maxZoom);
  header.setInt32(102, -180e7, true);
  header.setInt32(106, -85e7, true);
  header.setInt32(110, 180e7, true);
  header.setInt32(114, 85e7, true);
  writeFileSync(path, Buffer.concat([new Uint8Array(header.buffer), directory, metadata, png]));
}
