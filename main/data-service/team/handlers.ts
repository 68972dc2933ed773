// RPC handlers of the team lead's part of the contract (shared/rpc-team.ts).
import type { TEAM_RPC_METHODS } from '../../../shared/rpc-team';
import { leadsOnly, writeOf } from '../roles';
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
    'review.unreadable': (p) => ws().queries.unreadable(p.limit),
    'conflicts.list': (p) => {
      const { entries, next } = ws().conflicts.page(p.status, p.limit, p.after);
      return { entries: entries.map((e) => presentConflict(ws(), e)), open: ws().conflicts.openCount(), next };
    },
    'conflicts.resolve': leadsOnly(service, 'resolve conflicts', (p) => resolveConflict(ws(), p.id, p.choice)),
    'record.restoreValue': writeOf(service, (p) => restoreValue(ws(), p)),
  };
}
