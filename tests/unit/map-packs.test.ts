// Map packs: MBTiles and PMTiles files are imported in chunks, checked, kept under the data
// directory and served tile by tile; a file that is not a usable pack is refused with what
// is wrong with it, and nothing is kept.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { RpcError } from '../../shared/rpc';
import { openSqlite } from '../../main/data-service/db/sqlite';
import { PACK_CHUNK_BYTES } from '../../shared/rpc-map';
import { MapStore } from '../../main/data-service/maps/map-store';
import { sniffTileType } from '../../main/data-service/maps/packs';
import { solidPng, writeMbtiles, writePmtiles } from './map-fixtures';
import { tempDir } from './helpers';

const TEAL = [0, 128, 128] as const;

/** Send a file to the store as the renderer does: in chunks, then finish. */
async function importFile(store: MapStore, path: string, fileName: string) {
  const bytes = readFileSync(path);
  const { uploadId } = store.startImport(fileName, bytes.length);
  for (let offset = 0; offset < bytes.length; offset += PACK_CHUNK_BYTES) {
    store.appendChunk(uploadId, offset, bytes.subarray(offset, offset + PACK_CHUNK_BYTES));
  }
  return store.finishImport(uploadId);
}

/** The pixel colour of a PNG tile's first pixel is the fixture's colour. */
function assertSolidPng(tile: Uint8Array | null): void {
  assert.ok(tile, 'a tile was served');
  assert.equal(sniffTileType(tile), 'png');
  assert.deepEqual(Buffer.from(tile), Buffer.from(solidPng(TEAL)));
}

for (const format of ['mbtiles', 'pmtiles'] as const) {
  test(`a ${format} pack is imported, listed, served and survives a restart`, async (t) => {
    const dataDir = tempDir(t);
    const file = join(dataDir, `harbour.${format}`);
    (format === 'mbtiles' ? writeMbtiles : writePmtiles)(file, { name: 'Harbour area', colour: TEAL, minZoom: 0, maxZoom: 2 });
    const store = new MapStore(dataDir);
    const pack = await importFile(store, file, `harbour.${format}`);
    assert.equal(pack.name, 'Harbour area');
    assert.equal(pack.tileType, 'png');
    assert.deepEqual([pack.minZoom, pack.maxZoom], [0, 2]);
    assertSolidPng(await store.tile({ pack: pack.id }, 2, 3, 1));
    assert.equal(await store.tile({ pack: pack.id }, 5, 0, 0), null, 'no tile beyond the pack');
    await store.close();

    const reopened = new MapStore(dataDir);
    assert.deepEqual(reopened.packs().map((p) => p.id), [pack.id]);
    assertSolidPng(await reopened.tile({ pack: pack.id }, 1, 0, 1));
    assert.deepEqual(await reopened.removePack(pack.id), []);
    assert.deepEqual(readdirSync(join(dataDir, 'maps/packs')), [], 'the removed pack file is gone');
    await reopened.close();
  });
}

test('vector tiles of an MBTiles pack are served unzipped, with the layers its metadata names', async (t) => {
  const dataDir = tempDir(t);
  const file = join(dataDir, 'streets.mbtiles');
  const db = openSqlite(file);
  db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
  db.prepare('INSERT INTO metadata VALUES (?, ?)').run('format', 'pbf');
  db.prepare('INSERT INTO metadata VALUES (?, ?)').run('json', JSON.stringify({ vector_layers: [{ id: 'roads' }, { id: 'water' }] }));
  const tile = Buffer.from('a vector tile, as far as this test cares');
  // Row 0 in MBTiles (counted from the south) is y = 1 at zoom 1.
  db.prepare('INSERT INTO tiles VALUES (1, 0, 0, ?)').run(gzipSync(tile));
  db.close();
  const store = new MapStore(dataDir);
  const pack = await importFile(store, file, 'streets.mbtiles');
  assert.equal(pack.tileType, 'pbf');
  assert.deepEqual(pack.vectorLayers, ['roads', 'water']);
  assert.deepEqual(Buffer.from((await store.tile({ pack: pack.id }, 1, 0, 1))!), tile);
  assert.equal(await store.tile({ pack: pack.id }, 1, 0, 0), null);
  await store.close();
});

async function refusal(store: MapStore, path: string, fileName: string): Promise<string> {
  const error = await importFile(store, path, fileName).then(
    () => assert.fail('the file was imported'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RpcError && error.code === 'invalid', String(error));
  assert.equal(error.issues[0]?.field, 'file');
  return error.message;
}

test('files that are not usable packs are refused with what is wrong, and nothing is kept', async (t) => {
  const dataDir = tempDir(t);
  const store = new MapStore(dataDir);
  const good = join(dataDir, 'good.mbtiles');
  writeMbtiles(good, { name: 'Good', colour: TEAL, minZoom: 0, maxZoom: 1 });
  const kept = await importFile(store, good, 'good.mbtiles');

  const text = join(dataDir, 'notes.mbtiles');
  writeFileSync(text, 'these are my notes, not a map');
  assert.match(await refusal(store, text, 'notes.mbtiles'), /notes\.mbtiles was not imported: it is not an MBTiles file: it is not an SQLite database/);

  const otherDb = join(dataDir, 'contacts.mbtiles');
  openSqlite(otherDb).exec('CREATE TABLE people (name TEXT)');
  assert.match(await refusal(store, otherDb, 'contacts.mbtiles'), /without a "tiles" table/);

  const empty = join(dataDir, 'empty.mbtiles');
  openSqlite(empty).exec('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
  assert.match(await refusal(store, empty, 'empty.mbtiles'), /contains no tiles/);

  const lying = join(dataDir, 'lying.mbtiles');
  writeMbtiles(lying, { name: 'Lying', colour: TEAL, minZoom: 0, maxZoom: 0 });
  openSqlite(lying).exec("UPDATE metadata SET value = 'jpg' WHERE name = 'format'");
  assert.match(await refusal(store, lying, 'lying.mbtiles'), /metadata says JPG tiles, but its first tile is not a JPG image/);

  const notPm = join(dataDir, 'photo.pmtiles');
  writeFileSync(notPm, solidPng(TEAL));
  assert.match(await refusal(store, notPm, 'photo.pmtiles'), /not a PMTiles file: it does not start with the PMTiles signature/);

  const truncated = join(dataDir, 'cut.pmtiles');
  writePmtiles(truncated, { name: 'Cut', colour: TEAL, minZoom: 0, maxZoom: 1 });
  writeFileSync(truncated, readFileSync(truncated).subarray(0, 300));
  assert.match(await refusal(store, truncated, 'cut.pmtiles'), /truncated/);

  assert.deepEqual(store.packs().map((p) => p.id), [kept.id], 'the earlier pack is still the only one');
  assert.deepEqual(readdirSync(join(dataDir, 'maps/packs')), [`${kept.id}.mbtiles`]);
  assert.deepEqual(store.incomingFiles(), [], 'no partial import is left behind');
  await store.close();
});

test('an import is refused chunk by chunk when bytes go missing, and can be cancelled', async (t) => {
  const dataDir = tempDir(t);
  const store = new MapStore(dataDir);
  const { uploadId } = store.startImport('area.mbtiles', 10);
  store.appendChunk(uploadId, 0, new Uint8Array(4));
  assert.throws(() => store.appendChunk(uploadId, 6, new Uint8Array(4)), /offset: expected the chunk at byte 4, got one at 6/);
  assert.throws(() => store.appendChunk(uploadId, 4, new Uint8Array(7)), /more bytes than the 10 announced/);
  await assert.rejects(store.finishImport(uploadId), /only 4 of 10 bytes arrived/);
  assert.deepEqual(store.incomingFiles(), []);

  const second = store.startImport('area.pmtiles', 10);
  store.appendChunk(second.uploadId, 0, new Uint8Array(4));
  store.cancelImport(second.uploadId);
  assert.deepEqual(store.incomingFiles(), []);
  assert.throws(() => store.appendChunk(second.uploadId, 4, new Uint8Array(1)), /no map pack import with this id/);
  assert.deepEqual(store.packs(), []);
});
