// RPC handlers of erasure's part of the contract (shared/rpc-erasure.ts): team leads only,
// since the sync server takes an erasure from a lead's token alone.
import type { ERASURE_RPC_METHODS } from '../../../shared/rpc-erasure';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { leadsOnly } from '../roles';
import { eraseContact, mentionsPage, planErasure } from './erasure';

export function erasureHandlers({ service }: HandlerContext): HandlersFor<keyof typeof ERASURE_RPC_METHODS> {
  const ws = () => service.workspace;
  return {
    'erasure.plan': leadsOnly(service, 'erase a person', (p) => planErasure(ws(), p.id)),
    'erasure.mentions': leadsOnly(service, 'erase a person', (p) => mentionsPage(ws(), p)),
    // The sync client sends the erasure as soon as the server can be reached (the erasure announces its changes).
    'erasure.apply': leadsOnly(service, 'erase a person', (p) => eraseContact(ws(), p)),
    'erasure.log': leadsOnly(service, 'read the erasure log', () => ws().erasures.entries()),
  };
}
