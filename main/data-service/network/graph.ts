// The connection network read from the projection: contacts and assets as nodes, active
// connections as edges. References keep the id they were written with, so every endpoint
// is resolved to the record that stands for it now (a merge's survivor); deleted records,
// the self-loops a merge makes and parallel connections (one weighted edge) are dropped.
import { CONNECTION_KINDS, type RecordKind } from '../../../shared/domain';
import { RpcError } from '../../../shared/rpc';
import { NODE_CATEGORIES, NetworkQuery, type Connector, type NetworkGraph, type NodeCategory } from '../../../shared/rpc-network';
import type { ConnectionEdge } from '../read/screens';
import type { Workspace } from '../workspace';
import { betweenness, componentsAround, type Adjacency } from './centrality';

interface GraphNode {
  id: string;
  kind: 'contact' | 'asset';
  title: string;
  category: NodeCategory;
}


interface EdgeTally {
  a: string;
  b: string;
  kinds: Map<string, number>;
}

const NODE_KINDS: readonly RecordKind[] = ['contact', 'asset'];

/** Reads nodes and connections of one workspace, resolving merged ids once each. */
class NetworkReader {
  private readonly resolved = new Map<string, GraphNode | null>();
  private aliasIndex: Map<string, string[]> | null = null;

  constructor(private readonly ws: Workspace) {}

  /** The active contact or asset that `id` stands for now, or null (deleted, missing, another kind). */
  node(id: string): GraphNode | null {
    const cached = this.resolved.get(id);
    if (cached !== undefined) return cached;
    const survivorId = this.ws.resolveId(id);
    const row = this.ws.records.brief(survivorId);
    const node =
      row && row.status === 'active' && NODE_KINDS.includes(row.kind)
        ? { id: row.id, kind: row.kind as GraphNode['kind'], title: row.title, category: row.category as NodeCategory }
        : null;
    this.resolved.set(id, node);
    return node;
  }

  allEdges(): ConnectionEdge[] {
    return this.ws.queries.allEdges();
  }

  /** Connections at either end of these records, or of any record merged into them. */
  edgesOf(ids: Iterable<string>): ConnectionEdge[] {
    const aliases = this.aliases();
    const all = [...ids].flatMap((id) => [id, ...(aliases.get(id) ?? [])]);
    return this.ws.queries.edgesTouching(all);
  }

  /** Survivor id → the ids merged into it (directly or through merges of merges). */
  private aliases(): Map<string, string[]> {
    if (this.aliasIndex) return this.aliasIndex;
    const merged = this.ws.records.mergedOfKinds(NODE_KINDS);
    this.aliasIndex = new Map();
    for (const id of merged) {
      const survivor = this.ws.resolveId(id);
      if (survivor === id) continue;
      const list = this.aliasIndex.get(survivor) ?? [];
      list.push(id);
      this.aliasIndex.set(survivor, list);
    }
    return this.aliasIndex;
  }
}

export function buildNetwork(ws: Workspace, queryInput: NetworkQuery): NetworkGraph {
  const q = NetworkQuery.parse(queryInput);
  const reader = new NetworkReader(ws);
  const categories = q.categories ? new Set<string>(q.categories) : null;
  const connectionKinds = q.connectionKinds ? new Set<string>(q.connectionKinds) : null;
  const focus = q.focusId ? reader.node(q.focusId) : null;
  if (q.focusId && !focus) {
    throw new RpcError('not_found', `no contact or asset with id ${q.focusId}`, [{ field: 'focusId', message: 'no contact or asset with this id' }]);
  }

  const tallies = new Map<string, EdgeTally>();
  const nodes = new Map<string, GraphNode>();
  const depths = new Map<string, number>();
  const shown = (node: GraphNode | null): node is GraphNode =>
    node !== null && (node.id === focus?.id || !categories || categories.has(node.category));

  /** Tally one connection once its ends are resolved and shown; returns them, or null. */
  const tally = (edge: ConnectionEdge): [GraphNode, GraphNode] | null => {
    if (connectionKinds && !connectionKinds.has(edge.kind)) return null;
    const from = reader.node(edge.from_id);
    const to = reader.node(edge.to_id);
    if (!shown(from) || !shown(to) || from.id === to.id) return null;
    return [from, to];
  };
  const record = (edge: ConnectionEdge, from: GraphNode, to: GraphNode) => {
    const [a, b] = from.id < to.id ? [from.id, to.id] : [to.id, from.id];
    const key = `${a}|${b}`;
    const entry = tallies.get(key) ?? { a, b, kinds: new Map<string, number>() };
    entry.kinds.set(edge.kind, (entry.kinds.get(edge.kind) ?? 0) + 1);
    tallies.set(key, entry);
  };

  if (focus) {
    // Breadth-first from the focus, one query per ring. The ring past the last one is read
    // too, but adds no nodes: it gives the edges between two records at the deepest ring.
    nodes.set(focus.id, focus);
    depths.set(focus.id, 0);
    const seenEdges = new Set<string>();
    let frontier = [focus.id];
    for (let depth = 1; depth <= q.depth + 1 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const edge of reader.edgesOf(frontier)) {
        const ends = tally(edge);
        if (!ends) continue;
        for (const end of ends) {
          if (depths.has(end.id) || depth > q.depth) continue;
          depths.set(end.id, depth);
          nodes.set(end.id, end);
          next.push(end.id);
        }
        if (seenEdges.has(edge.id) || !depths.has(ends[0].id) || !depths.has(ends[1].id)) continue;
        seenEdges.add(edge.id);
        record(edge, ends[0], ends[1]);
      }
      frontier = next;
    }
  } else {
    for (const edge of reader.allEdges()) {
      const ends = tally(edge);
      if (!ends) continue;
      for (const end of ends) nodes.set(end.id, end);
      record(edge, ends[0], ends[1]);
    }
  }

  // Over the limit: keep the nearest rings first, then the best-connected.
  const degree = new Map<string, number>();
  for (const t of tallies.values()) {
    degree.set(t.a, (degree.get(t.a) ?? 0) + 1);
    degree.set(t.b, (degree.get(t.b) ?? 0) + 1);
  }
  let kept = [...nodes.values()];
  if (kept.length > q.limit) {
    kept.sort(
      (x, y) =>
        (depths.get(x.id) ?? 0) - (depths.get(y.id) ?? 0) || (degree.get(y.id) ?? 0) - (degree.get(x.id) ?? 0) || (x.id < y.id ? -1 : 1),
    );
    kept = kept.slice(0, q.limit);
  }
  const index = new Map(kept.map((node, i) => [node.id, i]));

  const graph: NetworkGraph = {
    ids: kept.map((n) => n.id),
    kinds: kept.map((n) => (n.kind === 'contact' ? 0 : 1)),
    titles: kept.map((n) => n.title),
    categories: kept.map((n) => NODE_CATEGORIES.indexOf(n.category)),
    depths: kept.map((n) => depths.get(n.id) ?? 0),
    sources: [],
    targets: [],
    edgeKinds: [],
    weights: [],
    focus: focus ? (index.get(focus.id) ?? -1) : -1,
    matched: nodes.size,
    connectors: [],
    sampledSources: null,
  };
  const adjacency: Adjacency = kept.map(() => []);
  for (const t of tallies.values()) {
    const a = index.get(t.a);
    const b = index.get(t.b);
    if (a === undefined || b === undefined) continue;
    let commonest = '';
    let weight = 0;
    for (const [kind, n] of t.kinds) {
      weight += n;
      if (n > (t.kinds.get(commonest) ?? 0)) commonest = kind;
    }
    graph.sources.push(a);
    graph.targets.push(b);
    graph.edgeKinds.push(CONNECTION_KINDS.indexOf(commonest as (typeof CONNECTION_KINDS)[number]));
    graph.weights.push(weight);
    adjacency[a]!.push(b);
    adjacency[b]!.push(a);
  }

  if (q.connectors > 0) {
    const { scores, sampledSources } = betweenness(adjacency);
    graph.sampledSources = sampledSources;
    const person = NODE_CATEGORIES.indexOf('person');
    graph.connectors = graph.categories
      .flatMap((category, node): Connector[] =>
        category === person && scores[node]! > 0 ? [{ node, score: scores[node]!, groups: 0 }] : [],
      )
      .sort((x, y) => y.score - x.score || x.node - y.node)
      .slice(0, q.connectors)
      .map((c) => ({ ...c, groups: componentsAround(adjacency, c.node) }));
  }
  return graph;
}
