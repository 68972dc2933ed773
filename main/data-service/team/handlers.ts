// RPC handlers of the team lead's part of the contract (shared/rpc-team.ts).
import { RpcError } from '../../../shared/rpc';
import type { TEAM_RPC_METHODS } from '../../../shared/rpc-team';
import type { DataService } from '../data-service';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { mergeRecords, mergesOfRecord, unmergeRecords } from './merge';
import { presentConflict, resolveConflict, restoreValue } from './resolve';
import { markReviewed, reviewQueue } from './review';

export function teamHandlers({ service }: HandlerContext): HandlersFor<keyof typeof TEAM_RPC_METHODS> {
  const ws = () => service.workspace;
  return {
    'merge.apply': leadsOnly(service, 'merge records', (p) => mergeRecords(ws(), p)),
    'merge.undo': leadsOnly(service, 'undo a merge', (p) => unmergeRecords(ws(), p.survivorId, p.mergeId)),
    'merge.list': (p) => mergesOfRecord(ws(), p.id),
    'review.list': (p) => reviewQueue(ws(), p),
    'review.mark': (p) => ({ marked: markReviewed(ws(), p.items) }),
    'conflicts.list': (p) => {
      const { entries, next } = ws().conflicts.page(p.status, p.limit, p.after);
      return { entries: entries.map((e) => presentConflict(ws(), e)), open: ws().conflicts.openCount(), next };
    },
    'conflicts.resolve': leadsOnly(service, 'resolve conflicts', (p) => resolveConflict(ws(), p.id, p.choice)),
    'record.restoreValue': (p) => restoreValue(ws(), p),
  };
}

/** `handler` for team leads only: anyone else is refused, told what they may not do. */
export function leadsOnly<P, R>(service: DataService, what: string, handler: (params: P) => R): (params: P) => R {
  return (params) => {
    const role = service.role();
    if (role !== 'lead') throw new RpcError('forbidden', `only team leads may ${what}; you sync as ${role}`);
    return handler(params);
  };
}
