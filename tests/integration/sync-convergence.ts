// One seeded convergence run (used by sync-convergence.test.ts and `npm run fuzz:sync`):
// five replicas make random edits of every record kind, sync partially through a real
// server over a network that drops, duplicates and reorders frames, and are restarted
// mid-sync; then the network heals, everyone syncs, and every replica must hold the same
// Yjs state and the same SQLite projections. Nothing in a run depends on timing: a device
// syncs only in its own steps, each sync ends after a number of frames drawn from the seed
// (or when it is done), and one device syncs at a time, so a seed replays exactly.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as Y from 'yjs';
import { ACTION_STATUSES, ASSET_CATEGORIES, CONNECTION_KINDS, CONTACT_ROLES, SESSION_TYPES, SUGGESTED_THEMES } from '../../shared/domain';
import { RpcError } from '../../shared/rpc';
import { createInvite, createWorkspace } from '../../server/admin';
import type { SyncStore } from '../../server/store';
import { SyncClient, webSockets, type SocketFactory } from '../../main/data-service/sync/sync-client';
import { Workspace } from '../../main/data-service/workspace';
import { crdtState, faultySockets, prng, tappedSockets, tempDir, type Faults } from './sync-helpers';
import { projectionRows } from '../unit/helpers';

export const REPLICAS = 5;

interface Replica {
  path: string;
  author: { id: string; name: string };
  ws: Workspace | null;
  client: SyncClient | null;
  /** Its network's faults and its retry jitter: a stream of its own, drawn only by its own frames. */
  network: () => number;
  /** Called with each frame it receives, while one of its syncs counts them. */
  onFrame: (() => void) | null;
  /** Its links not closed yet: a sync step ends once they are, so the server has handled all it was sent. */
  open: Set<Promise<void>>;
}

export interface RunOptions {
  /** Server URL and an admin handle on its store (to create the workspace and invites). */
  url: string;
  store: SyncStore;
  steps?: number;
  /** Filled with what each step did and what the device then held, to compare two runs of one seed. */
  trace?: string[];
}

const NAMES = ['Asha', 'Zoë', 'Tom', 'Mei', 'Kwame', 'Łucja', 'Ravi', 'Niamh'];

export async function convergenceRun(seed: number, options: RunOptions): Promise<void> {
  // A seed must replay its workload exactly (fuzz:sync records failing seeds for the suite
  // to replay). Each device's network draws from a stream of its own, and each step from a
  // fresh stream seeded by the workload's, since how many numbers a step uses depends on
  // what the device holds by then.
  const workload = prng(seed);
  let random = workload;
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const subset = <T>(items: readonly T[]): T[] => items.filter(() => random() < 0.3);
  // Records are picked by their place in id order, so their ids must come from the seed too.
  const newId = () => ({ id: randomUUIDFrom(random) });
  const faults: Faults = { enabled: true, drop: 0.04, duplicate: 0.05, reorder: 0.1 };
  const dir = tempDir(`conv-${seed}`);
  const workspaceId = await createWorkspace(options.store, `run ${seed}`);
  const code = await createInvite(options.store, workspaceId, { role: 'worker', uses: REPLICAS });
  const replicas: Replica[] = Array.from({ length: REPLICAS }, (_, i) => ({
    path: join(dir, `replica-${i}.sqlite`),
    author: { id: `author-${i}`, name: NAMES[i]! },
    ws: null,
    client: null,
    network: prng(seed ^ 0x5f3759df ^ Math.imul(i + 1, 0x9e3779b9)),
    onFrame: null,
    open: new Set(),
  }));
  const open = (r: Replica) => {
    r.ws = Workspace.open({ path: r.path, author: r.author, durability: 'normal' });
    const links = faultySockets(r.network, faults, webSockets({ graceful: true }));
    const connect: SocketFactory = (url) => {
      let closed!: () => void;
      const link = new Promise<void>((resolve) => (closed = resolve));
      r.open.add(link);
      void link.then(() => r.open.delete(link));
      return tappedSockets({ received: () => void r.onFrame?.(), closed }, links)(url);
    };
    r.client = new SyncClient(r.ws, { connect, retryMs: { first: 5, max: 40 }, random: r.network });
  };
  /**
   * Sync until done, the link fails, or `frames` frames have arrived (a sync cut short),
   * then stop: what synced is decided by the frames, never by how long anything took.
   */
  const syncFor = async (r: Replica, frames: number) => {
    let received = 0;
    // Stopped once the frame is handled, as a link lost right after it would.
    r.onFrame = () => void (++received === frames && queueMicrotask(() => r.client?.cancel()));
    await r.client!.syncNow().catch(() => undefined);
    r.onFrame = null;
    r.client?.cancel();
    await Promise.all(r.open);
  };
  const close = (r: Replica) => {
    r.client?.close();
    r.ws?.close();
    r.client = null;
    r.ws = null;
  };
  const syncUntilDone = async (r: Replica) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await r.client!.syncNow();
      } catch (error) {
        if (attempt > 50) throw new Error(`seed ${seed}: replica never synced: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };

  try {
    for (const r of replicas) {
      open(r);
      faults.enabled = false;
      await r.client!.connect(options.url, code);
      await r.client!.syncNow();
      r.client!.cancel();
      await Promise.all(r.open);
      faults.enabled = true;
    }
    const ids = (ws: Workspace, kinds: string[]) =>
      ws.db.prepare(`SELECT id, kind FROM records WHERE kind IN (${kinds.map((k) => `'${k}'`).join(',')}) ORDER BY id`).all() as { id: string; kind: string }[];

    const steps = options.steps ?? 40;
    for (let step = 0; step < steps; step++) {
      random = prng(Math.floor(workload() * 2 ** 32));
      const r = pick(replicas);
      if (!r.ws) {
        open(r);
        continue;
      }
      const ws = r.ws;
      // The first step makes a record, so no run converges on nothing (every replica is open then).
      const action = step === 0 ? 0 : int(12);
      try {
        if (action === 0) ws.create('contact', { name: pick(NAMES), roles: subset(CONTACT_ROLES), themes: subset(SUGGESTED_THEMES).slice(0, 3) }, newId());
        else if (action === 1) ws.create('asset', { name: `${pick(NAMES)}’s hall`, category: pick(ASSET_CATEGORIES), themes: subset(SUGGESTED_THEMES).slice(0, 2) }, newId());
        else if (action === 2) {
          const ends = ids(ws, ['contact', 'asset']);
          if (ends.length >= 2) {
            const from = pick(ends).id;
            const to = pick(ends.filter((e) => e.id !== from)).id;
            ws.create('connection', { fromId: from, toId: to, kind: pick(CONNECTION_KINDS) }, newId());
          }
        } else if (action === 3) {
          const people = ids(ws, ['contact']).map((c) => c.id);
          ws.create('session', {
            title: `${pick(['Coffee', 'Lunch', 'Walk'])} morning`,
            type: pick(SESSION_TYPES),
            startsAt: `2026-0${1 + int(9)}-1${int(9)}T10:00`,
            attendeeIds: subset(people).slice(0, 3),
            notes: random() < 0.5 ? 'A lunch club would help' : '',
          }, newId());
        } else if (action <= 6) {
          const target = ids(ws, ['contact', 'asset', 'session', 'connection']);
          if (target.length) {
            const { id, kind } = pick(target);
            if (kind === 'contact') {
              ws.update('contact', id, random() < 0.5
                ? { themes: subset(SUGGESTED_THEMES).slice(0, 4) }
                : { skills: [{ id: randomUUIDFrom(random), domain: 'food', skill: pick(['baking', 'growing']), has: true, wantsToLearn: false, willingToShare: random() < 0.5 }] });
            } else if (kind === 'asset') ws.update('asset', id, { description: `${pick(NAMES)} says ${int(100)}`, tags: subset(['wifi', 'step-free', 'parking']) });
            else if (kind === 'connection') ws.update('connection', id, { note: `met ${int(10)} times` });
            else {
              ws.update('session', id, random() < 0.5
                ? { anonymousHeadCount: int(30) }
                : { actions: [{ id: randomUUIDFrom(random), text: 'Ask about buses', ownerId: null, dueDate: null, status: pick(ACTION_STATUSES) }] });
            }
          }
        } else if (action === 7) {
          const target = ids(ws, ['contact', 'asset', 'session', 'connection']);
          if (target.length) {
            const { id, kind } = pick(target);
            const record = ws.get(kind as 'contact', id);
            if (record.deletedAt) ws.restore(kind as 'contact', id);
            else ws.delete(kind as 'contact', id);
          }
        } else if (action === 8) {
          // A rich-text editor's replica of a session's notes.
          const sessions = ids(ws, ['session']);
          if (sessions.length) {
            const { id } = pick(sessions);
            const replica = new Y.Doc();
            Y.applyUpdate(replica, ws.docState(id));
            const before = Y.encodeStateVector(replica);
            const paragraph = new Y.XmlElement('paragraph');
            paragraph.insert(0, [new Y.XmlText(`${pick(NAMES)} typed this`)]);
            replica.getXmlFragment('rich:notes').insert(0, [paragraph]);
            ws.applyUpdate(id, Y.encodeStateAsUpdate(replica, before), 'editor');
          }
        } else if (action <= 10) {
          // A sync, often cut short.
          await syncFor(r, 1 + int(8));
        } else {
          // Restart mid-sync.
          await syncFor(r, 1 + int(4));
          close(r);
        }
      } catch (error) {
        // Edits the workspace refuses (a reference to a record deleted meanwhile) are fine.
        if (!(error instanceof RpcError)) throw error;
      }
      const held = r.ws ? (r.ws.db.prepare('SELECT id FROM records ORDER BY id').pluck().all() as string[]).map((id) => id.slice(0, 4)).join(' ') : 'closed';
      options.trace?.push(`step ${step}: replica ${replicas.indexOf(r)} action ${action}; holds ${held}; ${r.ws?.outbox.pending() ?? '-'} waiting`);
    }

    faults.enabled = false;
    for (const r of replicas) if (!r.ws) open(r);
    for (let round = 0; round < 2; round++) for (const r of replicas) await syncUntilDone(r);

    const crdt = replicas.map((r) => crdtState(r.ws!));
    const projections = replicas.map((r) => projectionRows(r.ws!));
    assert.ok(Object.keys(crdt[0]!).length > 0, `seed ${seed}: no records were made`);
    for (let i = 1; i < REPLICAS; i++) {
      assert.deepEqual(crdt[i], crdt[0], `seed ${seed}: replica ${i}'s Yjs state differs from replica 0's`);
      assert.deepEqual(projections[i], projections[0], `seed ${seed}: replica ${i}'s projections differ from replica 0's`);
    }
    for (const r of replicas) {
      const status = r.client!.status();
      assert.equal(status.pending, 0, `seed ${seed}: a replica still has unacknowledged changes`);
      assert.equal(status.state, 'synced');
    }
  } finally {
    for (const r of replicas) close(r);
  }
}

/** A record id drawn from the run's PRNG, so runs replay exactly. */
function randomUUIDFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
