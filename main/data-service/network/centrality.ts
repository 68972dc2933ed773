// Who bridges otherwise separate groups: betweenness centrality (Brandes 2001) on the
// unweighted, undirected network. graphology-metrics computes it exactly only, which is
// O(nodes × edges): seconds at 5,000 nodes. Past EXACT_UP_TO nodes it is estimated from
// a sample of start nodes and scaled up (Brandes & Pich 2007), which ranks the strong
// bridges the same way at a fraction of the cost.

/** Neighbour indices of each node. */
export type Adjacency = number[][];

export const EXACT_UP_TO = 1_000;
export const SAMPLED_SOURCES = 300;

/**
 * Normalised betweenness of every node: the share of shortest paths between pairs of
 * other nodes that pass through it, in [0, 1]. `sampledSources` is null when exact.
 */
export function betweenness(adjacency: Adjacency): { scores: Float64Array; sampledSources: number | null } {
  const n = adjacency.length;
  const scores = new Float64Array(n);
  if (n < 3) return { scores, sampledSources: null };
  const sampled = n > EXACT_UP_TO;
  // Evenly spaced start nodes: the same graph always gives the same estimate.
  const sources = sampled ? Array.from({ length: SAMPLED_SOURCES }, (_, i) => Math.floor((i * n) / SAMPLED_SOURCES)) : [...Array(n).keys()];

  const sigma = new Float64Array(n);
  const distance = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  const queue = new Int32Array(n);
  for (const source of sources) {
    sigma.fill(0);
    distance.fill(-1);
    delta.fill(0);
    sigma[source] = 1;
    distance[source] = 0;
    let head = 0;
    let tail = 0;
    let visited = 0;
    queue[tail++] = source;
    while (head < tail) {
      const v = queue[head++]!;
      order[visited++] = v;
      for (const w of adjacency[v]!) {
        if (distance[w]! < 0) {
          distance[w] = distance[v]! + 1;
          queue[tail++] = w;
        }
        if (distance[w] === distance[v]! + 1) sigma[w]! += sigma[v]!;
      }
    }
    // Dependencies accumulate from the farthest nodes back towards the source.
    for (let i = visited - 1; i > 0; i--) {
      const w = order[i]!;
      for (const v of adjacency[w]!) {
        if (distance[v] === distance[w]! - 1) delta[v]! += (sigma[v]! / sigma[w]!) * (1 + delta[w]!);
      }
      scores[w]! += delta[w]!;
    }
  }
  // Each unordered pair is counted from both ends; (n-1)(n-2) ordered pairs exclude the node itself.
  const scale = (n / sources.length) / ((n - 1) * (n - 2));
  for (let i = 0; i < n; i++) scores[i] = Math.min(1, scores[i]! * scale);
  return { scores, sampledSources: sampled ? sources.length : null };
}

/** How many separate groups this node's neighbours fall into once the node is taken away. */
export function componentsAround(adjacency: Adjacency, node: number): number {
  const group = new Int32Array(adjacency.length).fill(-1);
  group[node] = -2;
  let groups = 0;
  for (const start of adjacency[node]!) {
    if (group[start] !== -1) continue;
    const stack = [start];
    group[start] = groups;
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const w of adjacency[v]!) {
        if (group[w] === -1) {
          group[w] = groups;
          stack.push(w);
        }
      }
    }
    groups++;
  }
  return groups;
}
