// The connection network's part of the RPC contract. Listed in RPC_AREAS by shared/rpc.ts.
import { z } from 'zod';
import { ASSET_CATEGORIES, CONNECTION_KINDS, CONTACT_TYPES, recordId } from './domain';
import { returns } from './rpc-area';

/** What a node of the network is: a contact's type (person, organisation) or an asset's ABCD category. */
export const NODE_CATEGORIES = [...CONTACT_TYPES, ...ASSET_CATEGORIES] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

/** Most nodes one graph answer carries; past it the best-connected are kept. */
export const MAX_GRAPH_NODES = 20_000;

export const NetworkQuery = z.strictObject({
  /** Show this record and its neighbours only; left out, the whole network. */
  focusId: recordId.optional(),
  depth: z.number().int().min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3').default(1),
  /** Node categories shown; left out, all. The focus record is always shown. */
  categories: z.array(z.enum(NODE_CATEGORIES)).max(NODE_CATEGORIES.length).optional(),
  /** Connection kinds shown; left out, all. */
  connectionKinds: z.array(z.enum(CONNECTION_KINDS)).max(CONNECTION_KINDS.length).optional(),
  /** Nodes kept at most (the best-connected, and always the focus). */
  limit: z.number().int().min(1).max(MAX_GRAPH_NODES).default(5_000),
  /** How many connectors (people ranked by betweenness) to name. */
  connectors: z.number().int().min(0).max(50).default(10),
});
export type NetworkQuery = z.input<typeof NetworkQuery>;

/**
 * A graph as parallel arrays, so 5,000 nodes and their edges travel as a few compact
 * JSON arrays rather than thousands of objects. Node `i` is `ids[i]`, `titles[i]`, …;
 * an edge `j` joins node `sources[j]` and node `targets[j]`.
 */
export interface NetworkGraph {
  ids: string[];
  /** 0: contact, 1: asset. */
  kinds: (0 | 1)[];
  titles: string[];
  /** Index into NODE_CATEGORIES. */
  categories: number[];
  /** Hops from the focus; all 0 without a focus. */
  depths: number[];
  sources: number[];
  targets: number[];
  /** Index into CONNECTION_KINDS of the edge's commonest kind. */
  edgeKinds: number[];
  /** How many connections (after merges) join the two ends. */
  weights: number[];
  /** The focus record's index in the arrays, or -1. */
  focus: number;
  /** Nodes that matched before `limit` cut them. */
  matched: number;
  connectors: Connector[];
  /** Betweenness was estimated from this many sampled start nodes (null: computed exactly). */
  sampledSources: number | null;
}

export interface Connector {
  /** Index into the graph's arrays. */
  node: number;
  /** Betweenness normalised to [0, 1]: the share of shortest paths between other nodes that pass through this one. */
  score: number;
  /** Connected components the network would split into around this person without them. */
  groups: number;
}

export const NETWORK_RPC_METHODS = {
  /** The network of contacts and assets joined by connections, with merged records resolved. */
  'network.graph': { params: NetworkQuery, result: returns<NetworkGraph>() },
} as const;
