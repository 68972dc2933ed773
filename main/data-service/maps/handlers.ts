// RPC handlers of the map's part of the contract (shared/rpc-map.ts).
import type { MAP_RPC_METHODS } from '../../../shared/rpc-map';
import type { DataService } from '../data-service';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { mapAssets } from './assets';
import { MapStore } from './map-store';

/** One map store per data service, shared by all its connections (an import may outlive a window). */
const stores = new WeakMap<DataService, MapStore>();

export function mapStoreOf(service: DataService): MapStore {
  let store = stores.get(service);
  if (!store) {
    store = new MapStore(service.dataDir);
    stores.set(service, store);
  }
  return store;
}

export function mapHandlers({ service }: HandlerContext): HandlersFor<keyof typeof MAP_RPC_METHODS> {
  const store = () => mapStoreOf(service);
  return {
    'map.assets': () => mapAssets(service.workspace),
    'map.packs': () => store().packs(),
    'map.packImportStart': (p) => store().startImport(p.fileName, p.bytes),
    'map.packImportChunk': (p) => store().appendChunk(p.uploadId, p.offset, Buffer.from(p.data, 'base64')),
    'map.packImportFinish': (p) => store().finishImport(p.uploadId),
    'map.packImportCancel': (p) => store().cancelImport(p.uploadId),
    'map.packRemove': (p) => store().removePack(p.id),
    'map.tile': async (p) => {
      const tile = await store().tile(p.source, p.z, p.x, p.y);
      return { data: tile ? Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength).toString('base64') : null };
    },
    'map.settings': () => store().settings(),
    'map.updateSettings': (p) => store().updateSettings(p),
    'map.clearTileCache': () => store().clearTileCache(),
  };
}
