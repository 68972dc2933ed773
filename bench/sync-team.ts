// The team section of `bench:sync`: two devices, each in its own process with a worker's
// token, make the seeded offline edits of bench/sync-workload.ts and converge through a
// server in a third process — once with Fieldbook's sync, once with PouchDB replication
// (the baseline), run after run in turn so both see the same machine load. Bytes are
// counted at the socket (a TCP proxy in front of the server).
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInvite, createWorkspace } from '../server/admin';
import { type ServerProcess, sqliteStoreFor, startServer, tempDir } from '../tests/integration/sync-helpers';
import { countingProxy } from './counting-proxy';
import { readProfile, summariseProfile } from './cpu-profile';
import { forkWorker, type Worker } from './ipc';
import type { DeviceCommands } from './sync-device';
import { DEVICES, sessionCount, type WorkloadSize } from './sync-workload';
import { check, median, round } from './stats';

type Engine = 'fieldbook' | 'pouchdb';
const DEVICE_SCRIPT: Record<Engine, string> = { fieldbook: 'bench/sync-device-fieldbook.ts', pouchdb: 'bench/sync-device-pouchdb.ts' };

interface Run {
  convergeMs: number;
  /** CPU time (user + system) of the two devices and of the server while converging; the server's null where unknown (PouchDB's, not Linux). */
  cpuMs: { devices: number; server: number | null };
  wireBytes: number;
  /** Bytes of the Yjs updates the edits made (Fieldbook only). */
  updateBytes: number | null;
  oneSided: number;
  lost: number;
  identicalRecords: boolean;
  identicalDocs: boolean;
}

/** Where the converge phase's CPU time went, on device a and on the server (Fieldbook only). */
interface Profiles {
  dir: string;
  convergeMs?: number;
  device?: ReturnType<typeof summariseProfile>;
  server?: ReturnType<typeof summariseProfile>;
}

/** The server side of one run: where devices connect, and how to restart it under the profiler. */
interface Side {
  url: string;
  inviteCode?: string;
  proxy: Awaited<ReturnType<typeof countingProxy>>;
  /** The server process's CPU time so far, in ms (null where it cannot be read). */
  cpuMs(): number | null;
  /** Restart the server with node's CPU profiler on, writing into `dir` when it stops. */
  profileServer?(dir: string): Promise<void>;
  stop(): Promise<void>;
}

/** A child process's CPU time (user + system) so far, from /proc (Linux); null elsewhere. */
function processCpuMs(pid: number | undefined): number | null {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, after the command name in parentheses.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

async function fieldbookSide(dir: string): Promise<Side> {
  const db = join(dir, 'server.sqlite');
  let server: ServerProcess = await startServer(['--db', db]);
  const store = await sqliteStoreFor(db);
  const workspaceId = await createWorkspace(store, 'team');
  const inviteCode = await createInvite(store, workspaceId, { role: 'worker', uses: DEVICES.length });
  await store.close();
  const proxy = await countingProxy(server.port);
  return {
    url: proxy.url,
    inviteCode,
    proxy,
    cpuMs: () => processCpuMs(server.process.pid),
    profileServer: async (profileDir) => {
      await server.stop();
      server = await startServer(['--db', db], 0, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
      proxy.retarget(server.port);
    },
    stop: async () => {
      proxy.close();
      await server.stop();
    },
  };
}

async function pouchdbSide(dir: string): Promise<Side> {
  const server = forkWorker<{ listen: (dir: string) => number; exit: () => void }>('bench/pouchdb-server.ts');
  const proxy = await countingProxy(await server.request('listen', dir));
  return {
    url: `${proxy.url}/team`,
    proxy,
    cpuMs: () => null,
    stop: async () => {
      proxy.close();
      await server.request('exit');
      await server.exited;
    },
  };
}

async function teamRun(engine: Engine, size: WorkloadSize, profileDir?: string): Promise<Run & { profiles?: Profiles }> {
  const dir = tempDir(`bench-team-${engine}`);
  const side = await (engine === 'fieldbook' ? fieldbookSide(dir) : pouchdbSide(dir));
  const devices: Worker<DeviceCommands>[] = DEVICES.map(() => forkWorker<DeviceCommands>(DEVICE_SCRIPT[engine]));
  const profiles: Profiles | undefined = profileDir ? { dir: profileDir } : undefined;
  let run: Run;
  try {
    // In turn: device a uploads the shared base, then device b downloads it.
    for (const [i, device] of devices.entries()) await device.request('join', { device: DEVICES[i]!, size, url: side.url, inviteCode: side.inviteCode, dir });
    const edited = await Promise.all(devices.map((d) => d.request('edit')));
    if (profileDir) {
      await side.profileServer!(profileDir);
      await devices[0]!.request('profileStart');
    }
    side.proxy.reset();
    const cpuBefore = { devices: await Promise.all(devices.map((d) => d.request('cpuMs'))), server: side.cpuMs() };
    const started = performance.now();
    // Two rounds: the second starts once both devices' first has ended, so each then
    // receives everything the other sent.
    for (let round = 0; round < 2; round++) await Promise.all(devices.map((d) => d.request('sync')));
    const convergeMs = performance.now() - started;
    const devicesCpu = (await Promise.all(devices.map((d) => d.request('cpuMs')))).reduce((n, ms, i) => n + ms - cpuBefore.devices[i]!, 0);
    const serverCpu = side.cpuMs();
    const wireBytes = side.proxy.bytes();
    if (profiles) {
      profiles.convergeMs = Math.round(convergeMs);
      const devicePath = join(profiles.dir, 'device-a.cpuprofile');
      await devices[0]!.request('profileStop', devicePath);
      profiles.device = summariseProfile(readProfile(devicePath));
    }
    const [a, b] = await Promise.all(devices.map((d) => d.request('verify')));
    run = {
      convergeMs,
      cpuMs: { devices: Math.round(devicesCpu), server: serverCpu === null || cpuBefore.server === null ? null : Math.round(serverCpu - cpuBefore.server) },
      wireBytes,
      updateBytes: edited.every((e) => e.updateBytes !== null) ? edited.reduce((n, e) => n + e.updateBytes!, 0) : null,
      oneSided: a!.oneSided,
      lost: Math.max(a!.lost, b!.lost),
      identicalRecords: a!.records === b!.records,
      identicalDocs: a!.docs === b!.docs,
    };
  } finally {
    for (const device of devices) {
      await device.request('exit').catch(() => undefined);
      await device.exited;
    }
    await side.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  // node writes the server's profile as it exits, one per thread (tsx's loader has one): thread 0 is the server's.
  if (profiles) {
    const written = readdirSync(profiles.dir).find((f) => /^CPU\..*\.0\.\d+\.cpuprofile$/.test(f));
    if (written) profiles.server = summariseProfile(readProfile(join(profiles.dir, written)));
  }
  return profiles ? { ...run, profiles } : run;
}

function summarise(engine: Engine, runs: Run[]) {
  const wireBytes = median(runs.map((r) => r.wireBytes));
  const updateBytes = runs[0]!.updateBytes;
  return {
    convergeMs: Math.round(median(runs.map((r) => r.convergeMs))),
    runsMs: runs.map((r) => Math.round(r.convergeMs)),
    // Wall time suffers most from a loaded machine; the CPU time spent converging much less.
    devicesCpuMs: Math.round(median(runs.map((r) => r.cpuMs.devices))),
    ...(runs.every((r) => r.cpuMs.server !== null) ? { serverCpuMs: Math.round(median(runs.map((r) => r.cpuMs.server!))) } : {}),
    wireBytes,
    ...(updateBytes !== null
      ? {
          // Every edit's update has to go up once and come down once to the other device.
          bareUpdateBytes: updateBytes,
          wireToBareUpdatesUpAndDown: check(wireBytes / (2 * updateBytes), '<=', 1.5, '×'),
        }
      : {}),
    oneSidedEdits: runs[0]!.oneSided,
    editsLost: engine === 'fieldbook' ? check(Math.max(...runs.map((r) => r.lost)), '<=', 0, 'edits') : Math.max(...runs.map((r) => r.lost)),
    editsLostShare: round(Math.max(...runs.map((r) => r.lost)) / runs[0]!.oneSided, 3),
    identicalRecords: runs.every((r) => r.identicalRecords),
    identicalDocs: runs.every((r) => r.identicalDocs),
  };
}

/**
 * `runs` runs of each engine at one size (medians), and with `profileDir` one more
 * Fieldbook run under the CPU profiler, not counted in the figures.
 */
export async function teamSync(size: WorkloadSize, runs: number, profileDir?: string) {
  const results: Record<Engine, Run[]> = { fieldbook: [], pouchdb: [] };
  for (let i = 0; i < runs; i++) for (const engine of ['fieldbook', 'pouchdb'] as const) results[engine].push(await teamRun(engine, size));
  const fieldbook = summarise('fieldbook', results.fieldbook);
  const pouchdb = summarise('pouchdb', results.pouchdb);
  return {
    contacts: size.contacts,
    sessions: sessionCount(size),
    editsPerDevice: size.editsPerDevice,
    runs,
    fieldbook,
    pouchdb,
    convergeTimeToPouchDB: check(fieldbook.convergeMs / pouchdb.convergeMs, '<=', 0.333, '×'),
    devicesCpuToPouchDB: round(fieldbook.devicesCpuMs / pouchdb.devicesCpuMs, 2),
    ...(profileDir ? { profile: (await teamRun('fieldbook', size, profileDir)).profiles } : {}),
  };
}
