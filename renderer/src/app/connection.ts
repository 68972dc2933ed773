// The renderer's one connection to the data service, and whether it is still alive.
import { create } from 'zustand';
import { RpcError, type RpcMethod, type RpcParams, type RpcResult, type ServiceEvent } from '../../../shared/rpc';
import { RpcClient } from '../../../shared/rpc-client';
import { connectTransport } from '../rpc/transport';

export type ConnectionStatus = 'connecting' | 'ready' | 'lost' | 'failed';

export const useConnection = create<{ status: ConnectionStatus; error: string | null }>(() => ({
  status: 'connecting',
  error: null,
}));

let client: RpcClient | null = null;

export async function connect(): Promise<void> {
  try {
    const transport = await connectTransport();
    client = new RpcClient(transport);
    transport.onClose(() => {
      client?.failPending('the connection to the data service was lost');
      useConnection.setState({ status: 'lost', error: null });
    });
    useConnection.setState({ status: 'ready', error: null });
  } catch (error) {
    useConnection.setState({ status: 'failed', error: errorMessage(error) });
  }
}

export function call<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
  if (!client || useConnection.getState().status === 'lost') {
    return Promise.reject(new RpcError('internal', 'not connected to the data service'));
  }
  return client.call(method, params);
}

export function onServiceEvent(listener: (event: ServiceEvent) => void): () => void {
  if (!client) return () => {};
  const off = client.onEvent(listener);
  return () => void off();
}

/** A sentence for the user from whatever went wrong. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
