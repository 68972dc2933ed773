// The connection network and exports' part of the RPC contract. Spread into RPC_METHODS by shared/rpc.ts.
export const NETWORK_RPC_METHODS = {} as const;
