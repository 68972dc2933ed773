// RPC handlers of the team lead's part of the contract (shared/rpc-team.ts).
import { RpcError } from '../../../shared/rpc';
import type { TEAM_RPC_METHODS } from '../../../shared/rpc-team';
import type { DataService } from '../data-service';
import type { HandlersFor } from '../service-connection';
import { mergeRecords, mergesOfRecord, unmergeRecords } from './merge';
import { presentConflict, resolveConflict, restoreValue } from './resolve';
import { markReviewed, reviewQueue } from './review';

export function teamHandlers(service: DataService): HandlersFor<keyof typeof TEAM_RPC_METHODS> {
  const ws = () => service.workspace;
  const leadsOnly = (what: string) => {
    const role = service.role();
    if (role !== 'lead') throw new RpcError('forbidden', `only team leads may ${what}; you sync as ${role}`);
  };
  return {
    'merge.apply': (p) => {
      leadsOnly('merge records');
      return mergeRecords(ws(), p);
    },
    'merge.undo': (p) => {
      leadsOnly('undo a merge');
      return unmergeRecords(ws(), p.survivorId, p.mergeId);
    },
    'merge.list': (p) => mergesOfRecord(ws(), p.id),
    'review.list': (p) => reviewQueue(ws(), p),
    'review.mark': (p) => ({ marked: markReviewed(ws(), p.items) }),
    'conflicts.list': (p) => {
      const { entries, next } = ws().conflicts.page(p.status, p.limit, p.after);
      return { entries: entries.map((e) => presentConflict(ws(), e)), open: ws().conflicts.openCount(), next };
    },
    'conflicts.resolve': (p) => {
      leadsOnly('resolve conflicts');
      return resolveConflict(ws(), p.id, p.choice);
    },
    'record.restoreValue': (p) => restoreValue(ws(), p),
  };
}
