// Runs the force layout off the main thread (a bundled file, so the app's CSP allows it:
// graphology's own supervisor starts its worker from a blob: URL, which script-src 'self'
// forbids). Posts positions after every few steps until its budget is spent or it is stopped.
import { ForceLayout, iterationBudget, type LayoutInput } from './layout';

export type LayoutRequest = { type: 'start'; input: LayoutInput } | { type: 'stop' } | { type: 'resume' };
export interface LayoutProgress {
  positions: Float32Array;
  iterations: number;
  budget: number;
  running: boolean;
}

const STEPS_PER_MESSAGE = 4;
const scope = self as unknown as { postMessage(message: LayoutProgress, transfer: Transferable[]): void; onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null };

let layout: ForceLayout | null = null;
let budget = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

function post(running: boolean): void {
  const positions = layout!.positions();
  scope.postMessage({ positions, iterations: layout!.iterations, budget, running }, [positions.buffer]);
}

function run(): void {
  timer = null;
  if (!layout) return;
  layout.step(STEPS_PER_MESSAGE);
  const running = layout.iterations < budget;
  post(running);
  // A macrotask between chunks lets a stop message in.
  if (running) timer = setTimeout(run, 0);
}

scope.onmessage = ({ data }) => {
  if (timer) clearTimeout(timer);
  timer = null;
  if (data.type === 'start') {
    layout = new ForceLayout(data.input);
    budget = iterationBudget(data.input.depths.length);
    post(true);
    timer = setTimeout(run, 0);
  } else if (data.type === 'resume' && layout) {
    budget = layout.iterations + iterationBudget(layout.order);
    run();
  } else if (layout) {
    post(false);
  }
};
