// Tiles of map packs and of the online tile cache come from the data service (map.tile),
// never from the network: maplibre asks for fieldbook-tile://pack/<id>/z/x/y or
// fieldbook-tile://online/z/x/y, and this answers with the bytes the service sends.
// The bundled basemap's tiles (fieldbook-tile://basemap/<set>/z/x/y) come from the app's own file.
import { addProtocol } from 'maplibre-gl';
import { fromBase64 } from '../../../shared/base64';
import { call } from '../app/connection';
import { basemapTile } from './basemap';
import { TILE_PROTOCOL } from './map-style';

const TILE_URL = new RegExp(`^${TILE_PROTOCOL}://(?:pack/([0-9a-f-]{36})|online|basemap/(world|detail))/(\\d+)/(\\d+)/(\\d+)$`);

let registered = false;

export function registerTileProtocol(): void {
  if (registered) return;
  registered = true;
  addProtocol(TILE_PROTOCOL, async (params) => {
    const match = TILE_URL.exec(params.url);
    if (!match) throw new Error(`not a map tile address: ${params.url}`);
    const [, pack, basemapSet, z, x, y] = match;
    if (basemapSet) return { data: await basemapTile(basemapSet as 'world' | 'detail', Number(z), Number(x), Number(y)) };
    const { data } = await call('map.tile', { source: pack ? { pack } : 'online', z: Number(z), x: Number(x), y: Number(y) });
    // An empty answer is "no tile here": maplibre leaves the place to the layers beneath.
    return { data: data ? fromBase64(data).buffer : new ArrayBuffer(0) };
  });
}
