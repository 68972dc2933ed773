// RPC handlers of the profile's part of the contract (shared/rpc-profile.ts).
import type { PROFILE_RPC_METHODS } from '../../../shared/rpc-profile';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import { createWorkerContact, workerContact } from '../worker-contact';

export function profileHandlers({ service }: HandlerContext): HandlersFor<keyof typeof PROFILE_RPC_METHODS> {
  const ws = () => service.workspace;
  return {
    'profile.get': async () => {
      await service.ready;
      return service.profile();
    },
    'profile.setup': (p) => service.setup(p.name, p.workspaceName, p.passphrase),
    'profile.unlock': (p) => service.unlock(p),
    'profile.protect': (p) => service.protect(p.passphrase),
    'profile.changePassphrase': (p) => service.changePassphrase(p.current, p.next),
    'profile.me': () => workerContact(ws()),
    'profile.createMe': () => createWorkerContact(ws()),
    'workspace.info': () => ws().info(),
  };
}
