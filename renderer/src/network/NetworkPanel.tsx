// The network in words, beside the drawing (a canvas says nothing to a screen reader or a
// keyboard): the focus record, its neighbours ring by ring as links, and the connectors.
import type { NetworkGraph } from '../../../shared/rpc-network';
import { humanize } from '../../../shared/format';
import { RING_LABEL, categoryLabel, connectorSentence, nodeCategory, nodeHref } from './network-model';

/** Rows listed per ring; the drawing shows them all. */
const RING_LIMIT = 200;

interface Props {
  graph: NetworkGraph;
  onFocus: (id: string) => void;
}

export function NetworkPanel({ graph, onFocus }: Props) {
  const rings = graph.focus < 0 ? [] : [1, 2, 3].map((depth) => graph.depths.flatMap((d, node) => (d === depth ? [node] : [])));
  return (
    <aside className="network-panel" aria-label="Network details">
      {graph.focus >= 0 ? (
        <section aria-labelledby="network-focus-heading">
          <h2 id="network-focus-heading">{graph.titles[graph.focus]}</h2>
          <p className="muted">{humanize(categoryLabel(nodeCategory(graph, graph.focus)))}</p>
          <a className="button button--small" href={nodeHref(graph, graph.focus)}>
            Open
          </a>
          {rings.map(
            (nodes, i) =>
              nodes.length > 0 && (
                <section key={i} className="network-ring" aria-labelledby={`network-ring-${i + 1}`}>
                  <h3 id={`network-ring-${i + 1}`}>
                    {RING_LABEL[i + 1]} ({nodes.length})
                  </h3>
                  <NodeList graph={graph} nodes={nodes} onFocus={onFocus} />
                </section>
              ),
          )}
          {rings.every((nodes) => nodes.length === 0) && <p>No connections match the filters.</p>}
        </section>
      ) : (
        <p className="muted">Choose a contact or asset to focus on, or click a dot, to see who and what it is connected to.</p>
      )}
      <section aria-labelledby="network-connectors-heading">
        <h2 id="network-connectors-heading">Connectors</h2>
        {graph.connectors.length > 0 ? (
          <>
            <p className="muted">
              People who bridge groups that would otherwise be apart, by how many shortest paths between others pass through them
              {graph.sampledSources !== null && ` (estimated from ${graph.sampledSources} sampled starting points)`}.
            </p>
            <ol className="network-connectors">
              {graph.connectors.map(({ node, score, groups }) => (
                <li key={node}>
                  <a href={nodeHref(graph, node)}>{graph.titles[node]}</a>
                  <span className="muted"> — {connectorSentence(score, groups)}</span>{' '}
                  <FocusButton graph={graph} node={node} onFocus={onFocus} />
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className="muted">No one here bridges separate groups.</p>
        )}
      </section>
    </aside>
  );
}

function NodeList({ graph, nodes, onFocus }: { graph: NetworkGraph; nodes: number[]; onFocus: (id: string) => void }) {
  return (
    <ul className="network-nodes">
      {nodes.slice(0, RING_LIMIT).map((node) => (
        <li key={node}>
          <a href={nodeHref(graph, node)}>{graph.titles[node]}</a>
          <span className="muted"> · {categoryLabel(nodeCategory(graph, node))}</span>{' '}
          <FocusButton graph={graph} node={node} onFocus={onFocus} />
        </li>
      ))}
      {nodes.length > RING_LIMIT && <li className="muted">and {(nodes.length - RING_LIMIT).toLocaleString('en-GB')} more in the drawing</li>}
    </ul>
  );
}

function FocusButton({ graph, node, onFocus }: { graph: NetworkGraph; node: number; onFocus: (id: string) => void }) {
  return (
    <button type="button" className="button button--ghost button--small" onClick={() => onFocus(graph.ids[node]!)} aria-label={`Focus on ${graph.titles[node]}`}>
      Focus
    </button>
  );
}
