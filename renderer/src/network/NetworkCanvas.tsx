// The network drawn with sigma.js (WebGL: thousands of nodes pan and zoom smoothly) while
// ForceAtlas2 arranges it in a worker. Hovering a node dims all but its neighbours;
// clicking one focuses it. Names are placed so that none covers another
// (label-placement.ts); a key says what each colour means, and the panel beside the canvas
// says it all in words.
import Graph from 'graphology';
import { useEffect, useRef, useState } from 'react';
import Sigma from 'sigma';
import type { NetworkGraph } from '../../../shared/rpc-network';
import { errorMessage } from '../app/connection';
import type { LayoutProgress, LayoutRequest } from './layout.worker';
import { LABEL_OFFSET, placeLabels, type LabelCandidate, type LabelSide } from './label-placement';
import { DOT_COLOUR, dotMeaning, dotMeaningLabel, meaningsShown } from './network-model';

const EDGE_COLOUR = '#b9beb6';
const DIMMED = '#e4e6e1';
const LABEL_SIZE = 14;
const LABEL_FONT = 'system-ui, sans-serif';
const LABEL_COLOUR = '#1b2420';

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
    const connectorRank = new Map(graph.connectors.map((c, rank) => [c.node, rank]));
    const connectors = new Set(connectorRank.keys());
    const degree = new Array<number>(graph.ids.length).fill(0);
    graph.sources.forEach((s, i) => {
      degree[s]!++;
      degree[graph.targets[i]!]!++;
    });
    // Names are placed most important first: the focus, the connectors, the best connected.
    const importance = (node: number) => (node === graph.focus ? -1 : (connectorRank.get(node) ?? graph.connectors.length));
    const labelOrder = graph.ids
      .map((_, node) => String(node))
      .sort((a, b) => importance(Number(a)) - importance(Number(b)) || degree[Number(b)]! - degree[Number(a)]!);
    const network = new Graph({ type: 'undirected', multi: false });
    graph.ids.forEach((_, node) => {
      const focused = node === graph.focus;
      const connector = connectors.has(node);
      network.addNode(node, {
        label: graph.titles[node],
        x: node,
        y: node % 7,
        size: Math.min(18, 2.5 + 1.6 * Math.sqrt(degree[node]!)) + (focused ? 6 : connector ? 4 : 0),
        color: DOT_COLOUR[dotMeaning(graph, node, connectors)],
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
        // Names are drawn after each frame by placeLabels instead (sigma's own may overlap).
        renderLabels: false,
        labelSize: LABEL_SIZE,
        labelFont: LABEL_FONT,
        labelColor: { color: LABEL_COLOUR },
        zIndex: true,
        nodeReducer: (node, data) => {
          if (!hovered || node === hovered || network.areNeighbors(node, hovered)) return data;
          return { ...data, color: DIMMED, label: '', zIndex: -1 };
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
    const labels = renderer.getCanvases().labels!.getContext('2d')!;
    const widths = new Map<string, number>();
    const measure = (label: string) => {
      let width = widths.get(label);
      if (width === undefined) {
        labels.font = `${LABEL_SIZE}px ${LABEL_FONT}`;
        width = labels.measureText(label).width;
        widths.set(label, width);
      }
      return width;
    };
    const drawLabel = ({ label, x, y, size, side, focus }: LabelCandidate & { side: LabelSide; focus: boolean }) => {
      const start = side === 'right' ? x + size + LABEL_OFFSET : x - size - LABEL_OFFSET - measure(label);
      if (focus) {
        // Boxed here: sigma's `highlighted` boxes a name on the right even where placement chose the left.
        labels.fillStyle = '#ffffff';
        labels.strokeStyle = LABEL_COLOUR;
        labels.fillRect(start - 2, y - LABEL_SIZE / 2 - 2, measure(label) + 4, LABEL_SIZE + 4);
        labels.strokeRect(start - 2, y - LABEL_SIZE / 2 - 2, measure(label) + 4, LABEL_SIZE + 4);
      }
      labels.fillStyle = LABEL_COLOUR;
      labels.fillText(label, start, y + LABEL_SIZE / 3);
    };
    function* labelCandidates() {
      for (const node of labelOrder) {
        const data = renderer.getNodeDisplayData(node);
        if (!data || data.hidden || !data.label) continue;
        const focus = Number(node) === graph.focus;
        yield { ...renderer.framedGraphToViewport(data), size: renderer.scaleSize(data.size), label: data.label, focus };
      }
    }
    const colours = [...new Set(network.mapNodes((_, { color }) => color as string))].join(' ');
    renderer.on('afterRender', () => {
      const { width, height } = renderer.getDimensions();
      const placed = placeLabels(labelCandidates(), measure, LABEL_SIZE, width, height);
      labels.font = `${LABEL_SIZE}px ${LABEL_FONT}`;
      labels.textAlign = 'left';
      placed.forEach(drawLabel);
      // For tests and the benchmark: what the last frame drew.
      element.dataset.drawnNodes = String(network.order);
      element.dataset.drawnColours = colours;
      element.dataset.drawnLabels = JSON.stringify(placed.map(({ label, box }) => ({ label, ...box })));
    });

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
      delete element.dataset.drawnColours;
      delete element.dataset.drawnLabels;
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
      <NetworkKey graph={graph} />
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

/** What the drawing's colours and sizes mean; lists only the colours it uses. */
function NetworkKey({ graph }: { graph: NetworkGraph }) {
  return (
    <section className="network-key" aria-labelledby="network-key-heading">
      <h2 id="network-key-heading">Key</h2>
      <ul>
        {meaningsShown(graph).map((meaning) => (
          <li key={meaning}>
            <span className="network-swatch" style={{ background: DOT_COLOUR[meaning] }} aria-hidden="true" />
            {dotMeaningLabel(meaning)}
          </li>
        ))}
      </ul>
      <p>
        {graph.focus >= 0 && 'The focus is the largest dot, its name boxed. '}Bigger dots have more connections. Names that would cover
        others are left out: point at a dot to see its name.
      </p>
    </section>
  );
}
