// What the network view shows, in words and colours: shared by the canvas, the accessible
// panel beside it and the filters.
import { CONNECTION_KINDS, type ConnectionKind, type RecordKind } from '../../../shared/domain';
import { NODE_CATEGORIES, type NetworkGraph, type NodeCategory } from '../../../shared/rpc-network';
import { recordHref } from '../app/router';
import { humanize } from '../../../shared/format';

/** What a dot's colour says: the record's category, or that the person is a connector. */
export type DotMeaning = NodeCategory | 'connector';

/** One colour per meaning, each at least 3:1 against the canvas background. */
export const DOT_COLOUR: Record<DotMeaning, string> = {
  person: '#1d6a4e',
  organisation: '#1b5fd1',
  individual: '#7a4fc0',
  association: '#b0307a',
  institution: '#4d5a63',
  physical: '#7d5c2e',
  economic: '#0f7c8c',
  cultural: '#b3261e',
  connector: '#c25e00',
};

export const CONTACT_CATEGORIES: readonly NodeCategory[] = ['person', 'organisation'];
export const ASSET_NODE_CATEGORIES: readonly NodeCategory[] = NODE_CATEGORIES.filter((c) => !CONTACT_CATEGORIES.includes(c));

export const categoryLabel = (category: NodeCategory) => (CONTACT_CATEGORIES.includes(category) ? humanize(category) : `${humanize(category)} asset`);
export const connectionKindLabel = (kind: ConnectionKind) => humanize(kind);

export const nodeKind = (graph: NetworkGraph, node: number): RecordKind => (graph.kinds[node] === 0 ? 'contact' : 'asset');
export const nodeCategory = (graph: NetworkGraph, node: number): NodeCategory => NODE_CATEGORIES[graph.categories[node]!]!;
export const nodeHref = (graph: NetworkGraph, node: number) => recordHref(nodeKind(graph, node), graph.ids[node]!);
export const dotMeaning = (graph: NetworkGraph, node: number, connectors: ReadonlySet<number>): DotMeaning =>
  connectors.has(node) ? 'connector' : nodeCategory(graph, node);
export const dotMeaningLabel = (meaning: DotMeaning) => (meaning === 'connector' ? 'Connector: bridges groups' : humanize(categoryLabel(meaning)));

/** The meanings of the colours the drawing of `graph` uses, in the filters' order. */
export function meaningsShown(graph: NetworkGraph): DotMeaning[] {
  const connectors = new Set(graph.connectors.map((c) => c.node));
  const shown = new Set(graph.ids.map((_, node) => dotMeaning(graph, node, connectors)));
  return ([...NODE_CATEGORIES, 'connector'] as const).filter((meaning) => shown.has(meaning));
}

export const edgeKind = (graph: NetworkGraph, edge: number): ConnectionKind => CONNECTION_KINDS[graph.edgeKinds[edge]!]!;

/** A share as a whole percentage, or "under 1%" rather than a misleading 0%. */
export function percent(share: number): string {
  const value = Math.round(share * 100);
  return value === 0 && share > 0 ? 'under 1%' : `${value}%`;
}

/** A connector's score in words, for the panel and screen readers. */
export function connectorSentence(score: number, groups: number): string {
  const paths = `on ${percent(score)} of the shortest paths between others`;
  return groups > 1 ? `${paths}; links ${groups} groups that are otherwise apart` : paths;
}

export const RING_LABEL = ['Focus', 'Directly connected', 'Two steps away', 'Three steps away'] as const;
