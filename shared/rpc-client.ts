// The calling side of the RPC contract, over any transport that carries JSON texts
// (an Electron MessagePort in the app, a WebSocket in the harness, a direct call in tests).
import {
  RpcError,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  type ServiceEvent,
  type ServiceMessage,
} from './rpc';
import { Emitter } from './emitter';

export interface Transport {
  send(text: string): void;
  /** Register the receiver of every text from the data service. */
  onMessage(receive: (text: string) => void): void;
}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly events = new Emitter<[event: ServiceEvent]>();

  constructor(private readonly transport: Transport) {
    transport.onMessage((text) => this.receive(text));
  }

  call<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.transport.send(JSON.stringify({ type: 'request', id, method, params }));
    });
  }

  onEvent(listener: (event: ServiceEvent) => void): () => void {
    return this.events.on(listener);
  }

  /** Fail every call still waiting, e.g. when the connection to the data service is lost. */
  failPending(message: string): void {
    for (const { reject } of this.pending.values()) reject(new RpcError('internal', message));
    this.pending.clear();
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as ServiceMessage;
    if (message.type === 'event') {
      this.events.emit(message);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new RpcError(message.error.code, message.error.message, message.error.issues));
  }
}
