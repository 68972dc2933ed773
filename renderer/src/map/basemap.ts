// The bundled basemap's tiles (cut at build time by scripts/build-basemap.mjs): one file,
// fetched once from the app's own files, then read tile by tile.
import basemapUrl from '../../../resources/basemap/basemap.tiles?url';

export type BasemapSet = 'world' | 'detail';

interface BasemapIndex {
  sets: Record<BasemapSet, Record<string, [number, number]>>;
}

let loaded: Promise<{ index: BasemapIndex; tiles: ArrayBuffer; start: number }> | null = null;

function load() {
  loaded ??= fetch(new URL(basemapUrl, window.location.href)).then(async (response) => {
    if (!response.ok) throw new Error(`the bundled basemap could not be read (${response.status})`);
    const tiles = await response.arrayBuffer();
    const length = new DataView(tiles).getUint32(0, true);
    const index = JSON.parse(new TextDecoder().decode(new Uint8Array(tiles, 4, length))) as BasemapIndex;
    return { index, tiles, start: 4 + length };
  });
  return loaded;
}

/** The tile's bytes, or an empty buffer where the basemap has nothing (open sea). */
export async function basemapTile(set: BasemapSet, z: number, x: number, y: number): Promise<ArrayBuffer> {
  const { index, tiles, start } = await load();
  const at = index.sets[set][`${z}/${x}/${y}`];
  return at ? tiles.slice(start + at[0], start + at[0] + at[1]) : new ArrayBuffer(0);
}
