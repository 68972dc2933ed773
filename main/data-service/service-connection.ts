// One client of the data service (an Electron window's MessagePort, a harness WebSocket,
// a test): validates each request against shared/rpc.ts, passes it to the handler its
// area registered (rpc-areas.ts), and forwards the events this client should see.
// Transport-agnostic: it reads and writes JSON texts.
import {
  RPC_METHODS,
  RpcError,
  fromZodError,
  type RpcMethod,
  type RpcResponse,
  type ServiceMessage,
} from '../../shared/rpc';
import type { RecordKind } from '../../shared/domain';
import type { DataService } from './data-service';
import { isCorrupt } from './db/sqlite';
import { connectionHandlers, type HandlersFor } from './rpc-areas';
import type { UpdateSource } from './workspace';

const isMethod = (method: unknown): method is RpcMethod => typeof method === 'string' && Object.hasOwn(RPC_METHODS, method);

/** Record changes in one turn of the event loop up to which each gets its own event. */
const MAX_SINGLE_CHANGE_EVENTS = 100;

/** Largest request accepted, in characters of JSON. */
export const MAX_MESSAGE_CHARS = 8 * 1024 * 1024;

export class ServiceConnection {
  private readonly unsubscribe: (() => void)[] = [];
  private readonly handlers: HandlersFor<RpcMethod>;

  constructor(
    private readonly service: DataService,
    private readonly send: (text: string) => void,
  ) {
    this.handlers = connectionHandlers({
      service,
      connection: { emit: (event) => this.emit(event), onClose: (cleanup) => this.unsubscribe.push(cleanup) },
    });
    this.unsubscribe.push(
      service.onChange((change) => this.queueChange(change)),
      service.onSyncStatus((status) => this.emit({ type: 'event', name: 'sync.status', status })),
      service.onConflictsChanged((open) => this.emit({ type: 'event', name: 'conflicts.changed', open })),
    );
  }

  /** Record changes of this turn of the event loop, sent together once it ends (see flushChanges). */
  private changes = new Map<string, { kind: RecordKind; source: UpdateSource }>();
  private closed = false;

  private queueChange({ kind, id, source }: { kind: RecordKind; id: string; source: UpdateSource }): void {
    // Changes not caused by a request (sync, other windows) go out once this turn ends.
    if (this.changes.size === 0) setImmediate(() => this.flushChanges());
    this.changes.set(id, { kind, source });
  }

  /**
   * A few changes go out one event each; a burst (a sync batch of 2,000 records, an import)
   * as one `records.changed` per source, or a first sync would send hundreds of thousands
   * of messages that every open view answers by reloading.
   */
  private flushChanges(): void {
    if (this.closed || this.changes.size === 0) return;
    const changes = this.changes;
    this.changes = new Map();
    if (changes.size <= MAX_SINGLE_CHANGE_EVENTS) {
      for (const [id, { kind, source }] of changes) this.emit({ type: 'event', name: 'record.changed', kind, id, source });
      return;
    }
    const kindsBySource = new Map<UpdateSource, Set<RecordKind>>();
    for (const { kind, source } of changes.values()) kindsBySource.set(source, (kindsBySource.get(source) ?? new Set()).add(kind));
    for (const [source, kinds] of kindsBySource) this.emit({ type: 'event', name: 'records.changed', kinds: [...kinds], source });
  }

  private emit(message: ServiceMessage): void {
    this.send(JSON.stringify(message));
  }

  /** Handle one incoming JSON text; always answers a request, never throws. */
  receive(text: string): void {
    let id = -1;
    let response: RpcResponse;
    try {
      if (text.length > MAX_MESSAGE_CHARS) throw new RpcError('invalid', `message of ${text.length} characters exceeds ${MAX_MESSAGE_CHARS}`);
      let request: { type?: unknown; id?: unknown; method?: unknown; params?: unknown };
      try {
        request = JSON.parse(text);
      } catch {
        throw new RpcError('invalid', 'message is not valid JSON');
      }
      if (typeof request?.id === 'number') id = request.id;
      if (request?.type !== 'request') throw new RpcError('invalid', 'message is not a request');
      if (!isMethod(request.method)) throw new RpcError('unknown_method', `unknown method ${String(request.method)}`);
      const method = request.method;
      const parsed = RPC_METHODS[method].params.safeParse(request.params ?? {});
      if (!parsed.success) throw fromZodError(parsed.error);
      const handler = this.handlers[method] as (params: unknown) => unknown;
      const result = handler(parsed.data);
      if (result instanceof Promise) {
        const requestId = id;
        result.then(
          (value) => this.respond({ type: 'response', id: requestId, ok: true, result: value }),
          (error) => this.respond({ type: 'response', id: requestId, ok: false, error: this.errorShape(error) }),
        );
        return;
      }
      response = { type: 'response', id, ok: true, result };
    } catch (error) {
      response = { type: 'response', id, ok: false, error: this.errorShape(error) };
    }
    this.respond(response);
  }

  /**
   * Answer a request, after the change events its work caused: a window that saved a
   * record sees its own change announced before the answer, and so knows it as its own.
   */
  private respond(response: RpcResponse): void {
    this.flushChanges();
    this.emit(response);
  }

  /** A failure as the client is told it; a damaged page read is also reported to the service, which has the whole file checked next time. */
  private errorShape(error: unknown) {
    if (!isCorrupt(error)) return toErrorShape(error);
    this.service.foundDamage();
    return { code: 'internal' as const, message: DAMAGED_PAGE, issues: [] };
  }

  close(): void {
    this.closed = true;
    for (const off of this.unsubscribe) off();
  }
}

const DAMAGED_PAGE =
  'part of the workspace file is damaged and could not be read; nothing was changed. Close Fieldbook and open it again: it will check the file and offer your latest backup, or to recover what can be read.';

function toErrorShape(error: unknown) {
  if (error instanceof RpcError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  if (/SQLITE_FULL|database or disk is full/i.test(message)) {
    return { code: 'internal' as const, message: 'the disk is full: nothing was saved. Free some space and try again.', issues: [] };
  }
  return { code: 'internal' as const, message: `the data service failed: ${message}`, issues: [] };
}
