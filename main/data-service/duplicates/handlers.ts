// RPC handlers of the duplicates' part of the contract (shared/rpc-duplicates.ts).
import type { DUPLICATES_RPC_METHODS } from '../../../shared/rpc-duplicates';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { findLikelyMatches } from './index';

export function duplicatesHandlers({ service }: HandlerContext): HandlersFor<keyof typeof DUPLICATES_RPC_METHODS> {
  const ws = () => service.workspace;
  return {
    'duplicates.find': (p) => service.duplicateScans.find(ws(), p),
    'duplicates.cancel': (p) => {
      service.duplicateScans.cancel(p.kind, 'the duplicate scan was stopped');
      return null;
    },
    'duplicates.forDraft': (p) => findLikelyMatches(ws(), p.kind, p.data, { excludeId: p.excludeId, limit: p.limit }),
  };
}
