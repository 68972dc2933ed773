// Reading a pull's new docs on a second thread (new-doc-worker.ts) while this one writes.
// A first sync brings every doc of the workspace new: decoding each (Yjs), reading its
// fields and checking them (zod) was about 40% of this thread's time, and the device has
// a second core. The sync client hands each pull answer's new docs over as it arrives, in
// chunks; the transaction that applies them takes each doc's reading when it gets to it.
// A chunk the worker has not started yet (it started late, or another program has the
// other core) is claimed back and read here, so this thread waits only for a chunk the
// worker is in the middle of, and is never slower than reading everything itself. The
// wait is synchronous: the apply is one transaction and nothing else may run inside it.
// Whatever the worker did not read — a doc stored here meanwhile, a worker fault or one
// that stopped answering — the apply reads here as before (read-new-doc.ts either way).
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { NewDocRead } from './read-new-doc';
import { startWorker } from '../worker-thread';

/** Docs per chunk: the most this thread waits for, and the unit either thread claims. */
export const CHUNK_DOCS = 64;
/** A chunk's claim: nobody's yet, the worker's, this thread's. */
export const UNCLAIMED = 0;
export const WORKER = 1;
const HERE = 2;
/** A worker that answers nothing for this long is given up on (its docs are read on this thread). */
const STALLED_MS = 60_000;

interface Job {
  updates: Uint8Array[];
  /** One claim per chunk, shared with the worker. */
  claims: Int32Array;
}

export class NewDocReader {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  /** Moved by the worker after each chunk's answer, so this thread can sleep until one comes. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  /** Updates handed over and not taken yet: their job and chunk. */
  private readonly handed = new Map<Uint8Array, { job: Job; chunk: number }>();
  private readonly jobs = new Map<number, Job>();
  private readonly reads = new Map<Uint8Array, NewDocRead>();
  private nextJob = 1;
  private readByWorker = 0;
  /** A worker failed: no other is started, everything is read on this thread. */
  private failed = false;

  /** Start reading these docs (new to the device as far as the caller knows). */
  read(items: { id: string; update: Uint8Array }[]): void {
    if (items.length === 0 || this.failed) return;
    const port = this.start();
    const id = this.nextJob++;
    const job: Job = { updates: items.map((i) => i.update), claims: new Int32Array(new SharedArrayBuffer(4 * Math.ceil(items.length / CHUNK_DOCS))) };
    this.jobs.set(id, job);
    items.forEach((item, i) => this.handed.set(item.update, { job, chunk: Math.floor(i / CHUNK_DOCS) }));
    port.postMessage({ job: id, claims: job.claims, items: items.map(({ id: docId, update }) => ({ id: docId, update })) });
  }

  /** The reading of a doc handed over with this update; undefined if it was not handed over, or is to be read here. */
  take(update: Uint8Array): NewDocRead | undefined {
    let progressAt = performance.now();
    for (;;) {
      const read = this.reads.get(update);
      if (read) {
        this.reads.delete(update);
        this.handed.delete(update);
        return read;
      }
      const place = this.handed.get(update);
      if (!place) return undefined;
      const seen = Atomics.load(this.signal, 0);
      if (this.receive()) {
        progressAt = performance.now();
        continue;
      }
      if (Atomics.compareExchange(place.job.claims, place.chunk, UNCLAIMED, HERE) === UNCLAIMED) {
        // Not started by the worker: this chunk is read here.
        for (const u of place.job.updates.slice(place.chunk * CHUNK_DOCS, (place.chunk + 1) * CHUNK_DOCS)) this.handed.delete(u);
        return undefined;
      }
      // The worker is reading it. A short sleep at a time: an answer may be counted a moment before this port can receive it.
      Atomics.wait(this.signal, 0, seen, 50);
      if (performance.now() - progressAt > STALLED_MS) {
        this.giveUp();
        return undefined;
      }
    }
  }

  /** Forget what was handed over with these updates and not taken (their docs were stored meanwhile). */
  drop(updates: Uint8Array[]): void {
    for (const update of updates) {
      this.handed.delete(update);
      this.reads.delete(update);
    }
    // Answers already here hold their copies of the updates: let them go.
    while (this.receive());
    if (this.handed.size === 0) this.jobs.clear();
  }

  /** How many of the docs handed over the worker has read so far (answers waiting are taken first): how the work split, for the benches and tests. */
  workerReads(): number {
    while (this.receive());
    return this.readByWorker;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
    this.port?.close();
    this.port = null;
    this.handed.clear();
    this.jobs.clear();
    this.reads.clear();
  }

  private giveUp(): void {
    this.failed = true;
    this.close();
  }

  private start(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    const worker = startWorker('sync/new-doc-worker', null);
    worker.postMessage({ port: port2, signal: this.signal }, [port2]);
    // Neither keeps the data service running: answers are only ever taken synchronously.
    worker.unref();
    port1.unref();
    // A worker that fails answers nothing more; what it was handed is read on this thread.
    worker.on('error', () => this.giveUp());
    this.worker = worker;
    this.port = port1;
    return port1;
  }

  /** Take one chunk's answer if one is waiting. */
  private receive(): boolean {
    const message = this.port && receiveMessageOnPort(this.port);
    if (!message) return false;
    const { job: id, chunk, reads } = message.message as { job: number; chunk: number; reads: NewDocRead[] | null };
    const job = this.jobs.get(id);
    const updates = job?.updates.slice(chunk * CHUNK_DOCS, (chunk + 1) * CHUNK_DOCS) ?? [];
    updates.forEach((update, i) => {
      if (!this.handed.has(update)) return;
      if (reads) {
        this.reads.set(update, reads[i]!);
        this.readByWorker += 1;
      } else this.handed.delete(update);
    });
    return true;
  }
}
