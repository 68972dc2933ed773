// The sync client's second thread: reads the new docs of a pull's answer (read-new-doc.ts) while
// the data service's thread writes the docs before them, a chunk at a time, skipping any
// chunk the data service has claimed to read itself (new-doc-reader.ts). Each chunk's reads
// go back on the port it was given, then the shared counter moves, which wakes a data
// service waiting for them.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { readNewDoc, type NewDocRead } from './read-new-doc';
import { CHUNK_DOCS, UNCLAIMED, WORKER } from './new-doc-reader';

interface Job {
  job: number;
  claims: Int32Array;
  items: { id: string; update: Uint8Array }[];
}

parentPort!.once('message', ({ port, signal }: { port: MessagePort; signal: Int32Array }) => {
  port.on('message', ({ job, claims, items }: Job) => {
    // Last chunk first: the data service applies from the first and reads any chunk it reaches
    // unclaimed itself, so the two meet in the middle instead of one waiting on the other.
    for (let chunk = claims.length - 1; chunk >= 0; chunk--) {
      if (Atomics.compareExchange(claims, chunk, UNCLAIMED, WORKER) !== UNCLAIMED) continue;
      let reads: NewDocRead[] | null = null;
      try {
        reads = items.slice(chunk * CHUNK_DOCS, (chunk + 1) * CHUNK_DOCS).map((item) => readNewDoc(item.id, item.update));
      } catch {
        // Not a bad update (that is a read saying so) but a fault here: the data service reads them itself.
      }
      port.postMessage({ job, chunk, reads });
      Atomics.add(signal, 0, 1);
      Atomics.notify(signal, 0);
    }
  });
});
