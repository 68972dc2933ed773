// The map's part of the RPC contract: basemap and map-pack tiles served from disk by the
// data service, map packs, tile caching, placing assets. Spread into RPC_METHODS by shared/rpc.ts.
export const MAP_RPC_METHODS = {} as const;
