// RPC handlers of the profile's part of the contract (shared/rpc-profile.ts).
import type { PROFILE_RPC_METHODS } from '../../../shared/rpc-profile';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { createWorkerContact, workerContact } from '../worker-contact';

export function profileHandlers({ service }: HandlerContext): HandlersFor<keyof typeof PROFILE_RPC_METHODS> {
  const ws = () => service.workspace;
  return {
    'profile.get': () => service.profile(),
    'profile.setup': (p) => service.setup(p.name, p.workspaceName),
    'profile.me': () => workerContact(ws()),
    'profile.createMe': () => createWorkerContact(ws()),
    'workspace.info': () => ws().info(),
  };
}
