// The network the data service builds: merged records resolve to their survivor, deleted
// records and merge-made self-loops drop out, parallel connections become one weighted
// edge, focus rings stop at the asked depth, filters apply, and the bridge is the connector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONNECTION_KINDS, type ConnectionKind } from '../../shared/domain';
import { NODE_CATEGORIES, type NetworkGraph } from '../../shared/rpc-network';
import { betweenness, componentsAround } from '../../main/data-service/network/centrality';
import { buildNetwork } from '../../main/data-service/network/graph';
import type { Workspace } from '../../main/data-service/workspace';
import { openTemp } from './helpers';
import { markMerged } from './network-fixtures';

const person = (ws: Workspace, name: string) => ws.create('contact', { name }).id;
const connect = (ws: Workspace, fromId: string, toId: string, kind: ConnectionKind = 'knows') =>
  ws.create('connection', { fromId, toId, kind }).id;

/** Edges as sorted "A–B" title pairs, for readable assertions. */
function edgeNames(graph: NetworkGraph): string[] {
  return graph.sources.map((s, i) => [graph.titles[s], graph.titles[graph.targets[i]!]].sort().join('–')).sort();
}

test('connections to a merged-away record land on its survivor; self-loops and deleted records drop out; parallels are weighted', (t) => {
  const { ws } = openTemp(t);
  const ann = person(ws, 'Ann');
  const annDuplicate = person(ws, 'Ann (duplicate)');
  const bea = person(ws, 'Bea');
  const cal = person(ws, 'Cal');
  const hall = ws.create('asset', { name: 'Church hall', category: 'physical' }).id;
  connect(ws, ann, bea);
  connect(ws, annDuplicate, bea, 'introduced-by'); // parallel once merged
  connect(ws, annDuplicate, ann); // a self-loop once merged
  connect(ws, annDuplicate, hall, 'uses');
  connect(ws, cal, hall, 'uses');
  markMerged(ws, annDuplicate, ann);
  ws.delete('contact', cal);

  const graph = buildNetwork(ws, {});
  assert.deepEqual([...graph.titles].sort(), ['Ann', 'Bea', 'Church hall']);
  assert.ok(!graph.ids.includes(annDuplicate), 'the merged-away record is not a node');
  assert.deepEqual(edgeNames(graph), ['Ann–Bea', 'Ann–Church hall']);
  const annBea = graph.sources.findIndex((s, i) => [graph.titles[s], graph.titles[graph.targets[i]!]].sort().join() === 'Ann,Bea');
  assert.equal(graph.weights[annBea], 2, 'two connections between Ann and Bea make one edge of weight 2');
  assert.equal(graph.categories[graph.titles.indexOf('Church hall')], NODE_CATEGORIES.indexOf('physical'));

  const focused = buildNetwork(ws, { focusId: annDuplicate, depth: 1 });
  assert.equal(focused.titles[focused.focus], 'Ann', 'focusing a merged-away id focuses its survivor');
  assert.deepEqual([...focused.titles].sort(), ['Ann', 'Bea', 'Church hall']);
});

test('focus rings stop at the asked depth, with the edges between the deepest ring', (t) => {
  const { ws } = openTemp(t);
  // A chain a–b–c–d–e plus c–c2 and a second path b–x–c.
  const [a, b, c, d, e, c2, x] = ['A', 'B', 'C', 'D', 'E', 'C2', 'X'].map((n) => person(ws, n)) as string[] as [string, string, string, string, string, string, string];
  connect(ws, a, b);
  connect(ws, b, c);
  connect(ws, c, d);
  connect(ws, d, e);
  connect(ws, c, c2);
  connect(ws, b, x);
  connect(ws, x, c);

  const depthOf = (graph: NetworkGraph) => Object.fromEntries(graph.titles.map((title, i) => [title, graph.depths[i]]));
  assert.deepEqual(depthOf(buildNetwork(ws, { focusId: b, depth: 1 })), { B: 0, A: 1, C: 1, X: 1 });
  const two = buildNetwork(ws, { focusId: b, depth: 2 });
  assert.deepEqual(depthOf(two), { B: 0, A: 1, C: 1, X: 1, D: 2, C2: 2 });
  assert.ok(edgeNames(two).includes('C–X'), 'the edge between two records of ring 1 is kept');
  assert.ok(!two.titles.includes('E'));
  assert.equal(buildNetwork(ws, { focusId: a, depth: 3 }).titles.includes('E'), false);
  assert.equal(buildNetwork(ws, { focusId: b, depth: 3 }).titles.includes('E'), true);
  assert.throws(() => buildNetwork(ws, { focusId: a, depth: 4 }), /must be 1, 2 or 3/);
});

test('filters by node category and connection kind; the focus stays', (t) => {
  const { ws } = openTemp(t);
  const ann = person(ws, 'Ann');
  const bea = person(ws, 'Bea');
  const club = ws.create('asset', { name: 'Walking club', category: 'association' }).id;
  const cafe = ws.create('asset', { name: 'Café', category: 'economic' }).id;
  connect(ws, ann, bea, 'knows');
  connect(ws, ann, club, 'member-of');
  connect(ws, bea, cafe, 'works-at');

  const noPeople = buildNetwork(ws, { categories: ['association', 'economic'] });
  assert.deepEqual(noPeople.titles, [], 'with people hidden no asset has a connection left to show');
  assert.deepEqual([...buildNetwork(ws, { connectionKinds: ['member-of', 'works-at'] }).titles].sort(), ['Ann', 'Bea', 'Café', 'Walking club']);
  assert.deepEqual(edgeNames(buildNetwork(ws, { connectionKinds: ['knows'] })), ['Ann–Bea']);
  const focused = buildNetwork(ws, { focusId: club, depth: 2, categories: ['association', 'economic'] });
  assert.deepEqual(focused.titles, ['Walking club'], 'the focus is shown even when its category is filtered out');
  assert.equal(CONNECTION_KINDS[buildNetwork(ws, { connectionKinds: ['works-at'] }).edgeKinds[0]!], 'works-at');
});

test('the person who bridges two groups is the top connector, and splits them in two', (t) => {
  const { ws } = openTemp(t);
  const left = ['L1', 'L2', 'L3', 'L4'].map((n) => person(ws, n));
  const right = ['R1', 'R2', 'R3', 'R4'].map((n) => person(ws, n));
  for (const group of [left, right]) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) connect(ws, group[i]!, group[j]!);
  }
  const bridge = person(ws, 'Bridget');
  connect(ws, bridge, left[0]!);
  connect(ws, bridge, right[0]!);

  const graph = buildNetwork(ws, {});
  const top = graph.connectors[0]!;
  assert.equal(graph.titles[top.node], 'Bridget');
  assert.equal(top.groups, 2);
  assert.equal(graph.sampledSources, null, 'a small graph is computed exactly');
  // L1 and R1 are on the bridge path too, but Bridget carries every left–right path.
  assert.ok(top.score > graph.connectors[1]!.score);
});

test('betweenness of a path, and sampling past the exact limit', () => {
  // 0–1–2: node 1 is on the only path between 0 and 2 → 1.
  assert.deepEqual([...betweenness([[1], [0, 2], [1]]).scores], [0, 1, 0]);
  // A long path: the middle carries the most, estimated from a sample.
  const n = 2_001;
  const path = Array.from({ length: n }, (_, i) => [i - 1, i + 1].filter((j) => j >= 0 && j < n));
  const { scores, sampledSources } = betweenness(path);
  assert.ok(sampledSources !== null && sampledSources < n);
  assert.ok(Math.abs(scores[1_000]! - 0.5) < 0.05, `middle ≈ 0.5, got ${scores[1_000]}`);
  assert.ok(scores[1_000]! > scores[100]!);
  assert.equal(componentsAround(path, 1_000), 2);
  assert.equal(componentsAround(path, 0), 1);
});
