// What a device process of `bench:sync` answers, whichever engine it runs (Fieldbook's
// sync client or PouchDB replication): the coordinator drives both engines' devices with
// the same commands, so both are measured doing the same thing.
import { createHash } from 'node:crypto';
import { startProfile } from './cpu-profile';
import { serveRequests } from './ipc';
import type { DeviceName, WorkloadSize } from './sync-workload';

export interface JoinParams {
  device: DeviceName;
  size: WorkloadSize;
  /** The server as the device reaches it (through the counting proxy). */
  url: string;
  /** Fieldbook: an invite code of the worker role. */
  inviteCode?: string;
  /** A scratch folder for the device's files. */
  dir: string;
}

export interface Engine {
  /** Device a creates the shared base and uploads it; device b downloads it (a first sync). */
  join(params: JoinParams): Promise<void>;
  /** Go offline and make this device's edits; the bytes of the updates they made, where the engine has such. */
  edit(): Promise<{ updateBytes: number | null }>;
  /** One sync round: send what this device has, receive what the server has. */
  sync(): Promise<void>;
  /** Digests of the device's records and docs, and the one-sided edits its data does not show. */
  verify(): Promise<{ records: string; docs: string; oneSided: number; lost: number }>;
}

export type DeviceCommands = Engine & {
  /** This process's CPU time so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  profileStart(): Promise<void>;
  profileStop(path: string): Promise<void>;
  exit(): void;
};

export const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** Serve an engine's commands in this process, with profiling around a phase and exit. */
export function serveDevice(engine: Engine): void {
  let stopProfile: ((path: string) => Promise<unknown>) | null = null;
  const commands: DeviceCommands = {
    join: (params) => engine.join(params),
    edit: () => engine.edit(),
    sync: () => engine.sync(),
    verify: () => engine.verify(),
    cpuMs: async () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    profileStart: async () => {
      stopProfile = await startProfile();
    },
    profileStop: async (path) => {
      await stopProfile?.(path);
      stopProfile = null;
    },
    // After the answer is sent: the coordinator waits for the exit.
    exit: () => void setImmediate(() => process.exit(0)),
  };
  serveRequests(commands);
}
