// What a device's user may do by their team role: lead-only actions, and writes to the
// record kinds only leads may write (the privacy settings). The sync server refuses the
// same writes from anyone else (server/push-guard.ts); refusing here says so at once.
import { KINDS, type RecordKind } from '../../shared/domain';
import { RpcError } from '../../shared/rpc';
import type { DataService } from './data-service';

/** `handler` for team leads only: anyone else is refused, told what they may not do. */
export function leadsOnly<P, R>(service: DataService, what: string, handler: (params: P) => R): (params: P) => R {
  return (params) => {
    const role = service.role();
    if (role !== 'lead') throw new RpcError('forbidden', `only team leads may ${what}; you sync as ${role}`);
    return handler(params);
  };
}

/** `handler` of a write to a record of `kind`, for leads only where the kind says so. */
export function writeOf<P extends { kind: RecordKind }, R>(service: DataService, handler: (params: P) => R): (params: P) => R {
  return (params) => {
    const kind = KINDS[params.kind];
    return kind.writers === 'leads' ? leadsOnly(service, `change the ${kind.labels.many}`, handler)(params) : handler(params);
  };
}
