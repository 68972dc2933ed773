// The rich-text editors' part of the RPC contract: an editor holds its own replica of one
// record's Y.Doc and trades updates with the data service as a sync peer would.
import { z } from 'zod';
import { recordId, type AnyRecord } from './domain';
import { returns } from './rpc-area';

export const DOC_RPC_METHODS = {
  /** The doc's state; this connection then gets the doc's updates as `doc.update` events, until `doc.close`. */
  'doc.open': { params: z.strictObject({ id: recordId }), result: returns<{ state: string }>() },
  /** An update the editor made, applied exactly as a sync peer's would be. */
  'doc.update': {
    params: z.strictObject({ id: recordId, update: z.base64('must be base64-encoded Yjs update') }),
    result: returns<AnyRecord>(),
  },
  'doc.close': { params: z.strictObject({ id: recordId }), result: returns<null>() },
} as const;
