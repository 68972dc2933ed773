// RPC handlers of the records' part of the contract (shared/rpc-records.ts).
import type { RECORD_RPC_METHODS } from '../../../shared/rpc-records';
import { writeOf } from '../roles';
import type { HandlerContext, HandlersFor } from '../rpc-areas';

export function recordHandlers({ service }: HandlerContext): HandlersFor<keyof typeof RECORD_RPC_METHODS> {
  const ws = () => service.workspace;
  return {
    'record.create': writeOf(service, (p) => ws().create(p.kind, p.data, { id: p.id })),
    'record.get': (p) => ws().get(p.kind, p.id),
    'record.update': writeOf(service, (p) => ws().update(p.kind, p.id, p.patch)),
    'record.delete': writeOf(service, (p) => ws().delete(p.kind, p.id)),
    'record.restore': writeOf(service, (p) => ws().restore(p.kind, p.id)),
    'record.list': (p) => ws().list(p),
    'record.history': (p) => ws().history(p.id),
    'record.connections': (p) => ws().connectionsOf(p.id),
    'record.sessions': (p) => ws().links.sessionsOf(p),
  };
}
