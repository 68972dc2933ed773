// RPC handlers of the rich-text editors' part of the contract (shared/rpc-docs.ts). State
// is per connection: the docs this client has open, whose updates it is sent as
// `doc.update` events — all but the echo of its own.
import * as Y from 'yjs';
import { fromBase64, toBase64 } from '../../../shared/base64';
import { RpcError } from '../../../shared/rpc';
import type { DOC_RPC_METHODS } from '../../../shared/rpc-docs';
import type { HandlerContext, HandlersFor } from '../rpc-areas';

export function docHandlers({ service, connection }: HandlerContext): HandlersFor<keyof typeof DOC_RPC_METHODS> {
  const ws = () => service.workspace;
  const openDocs = new Set<string>();
  /** While applying this client's own editor update, that update is not sent back to it. */
  let ownEdit: { id: string; update: Uint8Array } | null = null;

  connection.onClose(
    service.onDocUpdate((id, update) => {
      if (!openDocs.has(id)) return;
      const echo = ownEdit?.id === id ? ownEdit.update : null;
      // The stored update also carries the service's own changes (updatedAt, stamps); the
      // editor must get those, or every later update from this service waits on them forever.
      const missing = echo ? Y.diffUpdate(update, Y.encodeStateVectorFromUpdate(echo)) : update;
      connection.emit({ type: 'event', name: 'doc.update', id, update: toBase64(missing) });
    }),
  );

  return {
    'doc.open': (p) => {
      const state = toBase64(ws().docState(p.id));
      openDocs.add(p.id);
      return { state };
    },
    'doc.update': (p) => {
      const update = fromBase64(p.update);
      if (!openDocs.has(p.id)) throw new RpcError('invalid', `doc ${p.id} is not open on this connection; call doc.open first`);
      ownEdit = { id: p.id, update };
      try {
        return ws().applyUpdate(p.id, update, 'editor');
      } finally {
        ownEdit = null;
      }
    },
    'doc.close': (p) => {
      openDocs.delete(p.id);
      return null;
    },
  };
}
