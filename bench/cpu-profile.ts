// CPU profiles for the benches: record one around a phase of this process (the inspector),
// and say where a profile's time went — by file and by function, self time and time
// including what a function called — so a bench's output names what to speed up.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Start profiling this process; the returned function stops and writes a `.cpuprofile` (open it in Chrome's DevTools). */
export async function startProfile(): Promise<(path: string) => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async (path) => {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    session.disconnect();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(profile));
    return profile;
  };
}

export const readProfile = (path: string): CpuProfile => JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;

/** Where a frame's code lives: a project file, a package, or node's and V8's own. */
function areaOf(url: string): string {
  if (!url) return '(native, GC, idle)';
  if (url.startsWith('node:')) return url;
  const path = relative(process.cwd(), url.replace(/^file:\/\//, ''));
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return pkg ? `npm:${pkg[1]}` : path;
}

/**
 * The `top` files and functions by self time, and the project's functions by time
 * including their callees (each sample counted once per function on its stack), in ms and
 * as a share of the profile's busy time (idle and the profiler's own ticks left out:
 * `idleMs`, time spent waiting — for the network, the other side, a timer).
 */
export function summariseProfile(profile: CpuProfile, top = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const idle = new Set(['(idle)', '(program)']);
  // No line numbers: under tsx they are of the transformed code, not the source.
  const nameOf = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${areaOf(n.callFrame.url)}`;
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let idleMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    if (idle.has(node.callFrame.functionName)) {
      idleMs += ms;
      continue;
    }
    busy += ms;
    const area = node.callFrame.url ? areaOf(node.callFrame.url) : node.callFrame.functionName;
    files.set(area, (files.get(area) ?? 0) + ms);
    functions.set(nameOf(node), (functions.get(nameOf(node)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      const url = frame.callFrame.url;
      if (!url || url.includes('node_modules') || url.startsWith('node:')) continue;
      const name = nameOf(frame);
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      seen.add(name);
    }
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: Number((ms / busy).toFixed(3)) }));
  return { busyMs: Math.round(busy), idleMs: Math.round(idleMs), byFile: ranked(files), bySelfTime: ranked(functions), projectFunctionsIncludingCallees: ranked(inclusive) };
}
