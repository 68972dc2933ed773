// The one contract between the renderer (or any other client) and the data service: every
// area's methods in one table, the wire format and the errors. Each area declares its
// methods in its own file (`rpc-<area>.ts`), listed once in RPC_AREAS; every request is
// validated against these schemas at the data service's boundary, and the TypeScript types
// of params and results are derived from the same table.
import { z } from 'zod';
import { ACTION_RPC_METHODS } from './rpc-actions';
import { BACKUPS_RPC_METHODS } from './rpc-backups';
import { combineAreas } from './rpc-area';
import { CONSENT_RPC_METHODS } from './rpc-consent';
import { DEVICES_RPC_METHODS } from './rpc-devices';
import { DOC_RPC_METHODS } from './rpc-docs';
import { DUPLICATES_RPC_METHODS } from './rpc-duplicates';
import { ERASURE_RPC_METHODS } from './rpc-erasure';
import { EXPORT_RPC_METHODS, type ExportProgress } from './rpc-export';
import { IMPORT_RPC_METHODS } from './rpc-import';
import { MAP_RPC_METHODS } from './rpc-map';
import { NETWORK_RPC_METHODS } from './rpc-network';
import { PRIVACY_RPC_METHODS, type SubjectAccessProgress } from './rpc-privacy';
import { PROFILE_RPC_METHODS } from './rpc-profile';
import { RECORD_RPC_METHODS } from './rpc-records';
import { SEARCH_RPC_METHODS } from './rpc-search';
import { SYNC_RPC_METHODS } from './rpc-sync';
import { TEAM_RPC_METHODS } from './rpc-team';
import type { RecordKind } from './domain';
import type { SyncStatus } from './sync-status';

// An area's types are imported from here or from its own file alike.
export * from './rpc-actions';
export * from './rpc-backups';
export * from './rpc-consent';
export * from './rpc-devices';
export * from './rpc-docs';
export * from './rpc-duplicates';
export * from './rpc-erasure';
export * from './rpc-export';
export * from './rpc-import';
export * from './rpc-map';
export * from './rpc-network';
export * from './rpc-privacy';
export * from './rpc-profile';
export * from './rpc-records';
export * from './rpc-search';
export * from './rpc-sync';
export * from './rpc-team';

/** Every area of the contract by name; the data service answers each with its own handlers (main/data-service/rpc-areas.ts). */
export const RPC_AREAS = {
  profile: PROFILE_RPC_METHODS,
  record: RECORD_RPC_METHODS,
  search: SEARCH_RPC_METHODS,
  action: ACTION_RPC_METHODS,
  duplicates: DUPLICATES_RPC_METHODS,
  doc: DOC_RPC_METHODS,
  sync: SYNC_RPC_METHODS,
  team: TEAM_RPC_METHODS,
  map: MAP_RPC_METHODS,
  network: NETWORK_RPC_METHODS,
  privacy: PRIVACY_RPC_METHODS,
  backups: BACKUPS_RPC_METHODS,
  consent: CONSENT_RPC_METHODS,
  erasure: ERASURE_RPC_METHODS,
  export: EXPORT_RPC_METHODS,
  import: IMPORT_RPC_METHODS,
  devices: DEVICES_RPC_METHODS,
};
export type RpcArea = keyof typeof RPC_AREAS;

export const RPC_METHODS = combineAreas(RPC_AREAS);

export type RpcMethod = keyof typeof RPC_METHODS;
export type RpcParams<M extends RpcMethod> = z.input<(typeof RPC_METHODS)[M]['params']>;
export type RpcParsedParams<M extends RpcMethod> = z.output<(typeof RPC_METHODS)[M]['params']>;
export type RpcResult<M extends RpcMethod> = (typeof RPC_METHODS)[M]['result'];

// ---------------------------------------------------------------- wire format
// Every message is one JSON text, the same over an Electron MessagePort and a WebSocket.

export interface RpcRequest {
  type: 'request';
  id: number;
  method: string;
  params: unknown;
}

export type RpcResponse =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: RpcErrorShape };

export type ServiceEvent =
  /** A record was written (by this device, an editor replica or a sync peer): refresh views of it. */
  | { type: 'event'; name: 'record.changed'; kind: RecordKind; id: string; source: 'local' | 'editor' | 'remote' }
  /**
   * Many records changed at once (a sync batch, a bulk import), sent instead of one
   * `record.changed` each: reload whatever shows records of these kinds.
   */
  | { type: 'event'; name: 'records.changed'; kinds: RecordKind[]; source: 'local' | 'editor' | 'remote' }
  /** A Yjs update (base64) to a doc this connection opened with `doc.open`. */
  | { type: 'event'; name: 'doc.update'; id: string; update: string }
  /** Sync progress: pending changes, last sync, the current problem. */
  | { type: 'event'; name: 'sync.status'; status: SyncStatus }
  /** The conflict inbox changed (sync found a conflict, or one was resolved). */
  | { type: 'event'; name: 'conflicts.changed'; open: number }
  /** How far a subject access export this connection asked for has come. */
  | { type: 'event'; name: 'privacy.subjectAccessProgress'; progress: SubjectAccessProgress }
  /** How far an export this connection asked for has come, with the file's next text. */
  | { type: 'event'; name: 'export.progress'; progress: ExportProgress };

export type ServiceMessage = RpcResponse | ServiceEvent;

export type RpcErrorCode = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'not_ready' | 'unknown_method' | 'internal';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `data.attendeeIds.2`. */
  field: string;
  message: string;
}

export interface RpcErrorShape {
  code: RpcErrorCode;
  message: string;
  issues: FieldIssue[];
}

/** An error the data service reports to its caller, naming what was wrong. */
export class RpcError extends Error implements RpcErrorShape {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'RpcError';
  }

  static invalid(issues: FieldIssue[]): RpcError {
    const first = issues[0];
    const summary = first ? `${first.field}: ${first.message}` : 'invalid input';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new RpcError('invalid', `${summary}${more}`, issues);
  }

  toShape(): RpcErrorShape {
    return { code: this.code, message: this.message, issues: this.issues };
  }
}

export function fromZodError(error: z.ZodError, prefix: string[] = []): RpcError {
  return RpcError.invalid(
    error.issues.map((issue) => ({
      field: [...prefix, ...issue.path.map(String)].join('.') || '(input)',
      message: issue.message,
    })),
  );
}
