// The online tile cache: a viewed tile is fetched once from the workspace's tile source,
// then served from disk, also when the device is offline; a stale tile is fetched again
// when online and still served when not. A local HTTP server stands in for the tile source.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { MapStore } from '../../main/data-service/maps/map-store';
import { TILE_MAX_AGE_MS, TILE_USER_AGENT, TileCache } from '../../main/data-service/maps/tile-cache';
import { tempDir } from './helpers';

interface TileServer {
  template: string;
  requests: { url: string; userAgent: string | undefined }[];
  setTile(body: string): void;
  stop(): Promise<void>;
}

async function tileServer(t: TestContext): Promise<TileServer> {
  const requests: TileServer['requests'] = [];
  let body = 'tile-v1';
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', userAgent: req.headers['user-agent'] });
    if (req.url?.startsWith('/tiles/9/')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/png' }).end(`${body}:${req.url}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  t.after(() => (server.listening ? stop() : undefined));
  return {
    template: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiles/{z}/{x}/{y}.png`,
    requests,
    setTile: (b) => (body = b),
    stop: async () => {
      server.closeAllConnections();
      await stop();
    },
  };
}

const text = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString() : null);

test('a viewed tile is fetched once, then served from disk, also offline', async (t) => {
  const server = await tileServer(t);
  const cache = new TileCache(join(tempDir(t), 'cache'));
  assert.equal(text(await cache.tile(server.template, 3, 4, 2)), 'tile-v1:/tiles/3/4/2.png');
  assert.equal(text(await cache.tile(server.template, 3, 4, 2)), 'tile-v1:/tiles/3/4/2.png');
  assert.equal(server.requests.length, 1, 'the second view came from disk');
  assert.equal(server.requests[0]!.userAgent, TILE_USER_AGENT, 'the app says who it is to the tile server');
  assert.equal(await cache.tile(server.template, 9, 0, 0), null, 'a tile the server does not have is none');
  assert.deepEqual(cache.usage(), { tiles: 1, bytes: 'tile-v1:/tiles/3/4/2.png'.length });

  await server.stop();
  assert.equal(text(await cache.tile(server.template, 3, 4, 2)), 'tile-v1:/tiles/3/4/2.png', 'offline: served from disk');
  assert.equal(await cache.tile(server.template, 3, 4, 3), null, 'offline, never viewed: none');
});

test('a stale tile is fetched again when online, and kept when the source cannot be reached', async (t) => {
  const server = await tileServer(t);
  let now = Date.now();
  const cache = new TileCache(join(tempDir(t), 'cache'), fetch, () => now);
  await cache.tile(server.template, 1, 0, 0);
  server.setTile('tile-v2');
  now += TILE_MAX_AGE_MS + 1000;
  assert.equal(text(await cache.tile(server.template, 1, 0, 0)), 'tile-v2:/tiles/1/0/0.png');
  now += TILE_MAX_AGE_MS + 1000;
  await server.stop();
  assert.equal(text(await cache.tile(server.template, 1, 0, 0)), 'tile-v2:/tiles/1/0/0.png', 'stale but served while offline');
});

test('tiles of another source are never served for the configured one, and the cache can be cleared', async (t) => {
  const server = await tileServer(t);
  const store = new MapStore(tempDir(t));
  assert.equal(await store.tile('online', 2, 1, 1), null, 'no tile source: no online tiles');
  store.updateSettings({ tileUrl: server.template, attribution: '© Test tiles' });
  assert.equal(text(await store.tile('online', 2, 1, 1)), 'tile-v1:/tiles/2/1/1.png');
  store.updateSettings({ tileUrl: server.template.replace('/tiles/', '/other/'), attribution: '' });
  assert.equal(text(await store.tile('online', 2, 1, 1)), 'tile-v1:/other/2/1/1.png');
  assert.equal(store.settings().cachedTiles, 2);
  assert.equal(store.clearTileCache().cachedTiles, 0);
  await store.close();
});
