// The network drawn with sigma.js (WebGL: thousands of nodes pan and zoom smoothly) while
// ForceAtlas2 arranges it in a worker. Hovering a node dims all but its neighbours;
// clicking one focuses it. The panel beside the canvas says the same in words.
import Graph from 'graphology';
import { useEffect, useRef, useState } from 'react';
import Sigma from 'sigma';
import type { NetworkGraph } from '../../../shared/rpc-network';
import { errorMessage } from '../app/connection';
import type { LayoutProgress, LayoutRequest } from './layout.worker';
import { CATEGORY_COLOUR, CONNECTOR_COLOUR, nodeCategory } from './network-model';

const EDGE_COLOUR = '#b9beb6';
const DIMMED = '#e4e6e1';

interface Props {
  graph: NetworkGraph;
  onFocus: (id: string) => void;
}

export function NetworkCanvas({ graph, onFocus }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const worker = useRef<Worker | null>(null);
  const [progress, setProgress] = useState<Omit<LayoutProgress, 'positions'> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const focusRef = useRef(onFocus);
  focusRef.current = onFocus;

  useEffect(() => {
    const element = container.current!;
    const connectors = new Set(graph.connectors.map((c) => c.node));
    const degree = new Array<number>(graph.ids.length).fill(0);
    graph.sources.forEach((s, i) => {
      degree[s]!++;
      degree[graph.targets[i]!]!++;
    });
    const network = new Graph({ type: 'undirected', multi: false });
    graph.ids.forEach((_, node) => {
      const focused = node === graph.focus;
      const connector = connectors.has(node);
      network.addNode(node, {
        label: graph.titles[node],
        x: node,
        y: node % 7,
        size: Math.min(18, 2.5 + 1.6 * Math.sqrt(degree[node]!)) + (focused ? 6 : connector ? 4 : 0),
        color: connector ? CONNECTOR_COLOUR : CATEGORY_COLOUR[nodeCategory(graph, node)],
        forceLabel: focused || connector,
        highlighted: focused,
        zIndex: focused || connector ? 1 : 0,
      });
    });
    graph.sources.forEach((source, i) =>
      network.mergeEdge(source, graph.targets[i]!, { size: Math.min(4, 0.5 + graph.weights[i]! * 0.5), color: EDGE_COLOUR }),
    );

    let hovered: string | null = null;
    let renderer: Sigma;
    try {
      renderer = new Sigma(network, element, {
        labelRenderedSizeThreshold: 9,
        labelFont: 'system-ui, sans-serif',
        labelColor: { color: '#1b2420' },
        zIndex: true,
        nodeReducer: (node, data) => {
          if (!hovered || node === hovered || network.areNeighbors(node, hovered)) return data;
          return { ...data, color: DIMMED, label: '', forceLabel: false, zIndex: -1 };
        },
        edgeReducer: (edge, data) => {
          if (!hovered || network.hasExtremity(edge, hovered)) return data;
          return { ...data, hidden: true };
        },
      });
    } catch (error) {
      setFailure(errorMessage(error));
      return;
    }
    setFailure(null);
    renderer.on('enterNode', ({ node }) => {
      hovered = node;
      element.style.cursor = 'pointer';
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on('leaveNode', () => {
      hovered = null;
      element.style.cursor = '';
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on('clickNode', ({ node }) => focusRef.current(graph.ids[Number(node)]!));
    // For tests and the benchmark: how many nodes the last frame drew.
    renderer.on('afterRender', () => (element.dataset.drawnNodes = String(network.order)));

    const layout = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.current = layout;
    layout.onmessage = ({ data }: MessageEvent<LayoutProgress>) => {
      const { positions, ...rest } = data;
      network.updateEachNodeAttributes(
        (node, attributes) => {
          const i = Number(node) * 2;
          return { ...attributes, x: positions[i]!, y: positions[i + 1]! };
        },
        { attributes: ['x', 'y'] },
      );
      setProgress(rest);
    };
    layout.postMessage({
      type: 'start',
      input: { depths: graph.depths, sources: graph.sources, targets: graph.targets, weights: graph.weights },
    } satisfies LayoutRequest);

    return () => {
      layout.terminate();
      worker.current = null;
      renderer.kill();
      delete element.dataset.drawnNodes;
      setProgress(null);
    };
  }, [graph]);

  const send = (request: LayoutRequest) => worker.current?.postMessage(request);
  return (
    <div className="network-canvas-wrap">
      {failure && (
        <p className="banner banner--warning" role="alert">
          The network cannot be drawn on this device ({failure}). Everything it shows is listed beside it.
        </p>
      )}
      <div ref={container} className="network-canvas" role="img" aria-label={`Network drawing of ${graph.ids.length} records; the panel beside it lists them`} />
      {progress && (
        <div className="network-layout-status">
          <span role="status">{progress.running ? 'Arranging the network…' : 'Arranged'}</span>
          {progress.running && <progress max={progress.budget} value={progress.iterations} aria-label="Arranging the network" />}
          <button type="button" className="button button--small" onClick={() => send({ type: progress.running ? 'stop' : 'resume' })}>
            {progress.running ? 'Stop arranging' : 'Arrange more'}
          </button>
        </div>
      )}
    </div>
  );
}
