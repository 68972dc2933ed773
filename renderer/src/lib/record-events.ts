// What a service event means for a view of records: one record changed (`record.changed`)
// or many of some kinds at once (`records.changed`, a sync batch or an import).
import type { RecordKind } from '../../../shared/domain';
import type { ServiceEvent } from '../../../shared/rpc';

type Source = 'local' | 'editor' | 'remote';

/**
 * Whether `event` may change what a view of records of `kinds` shows — of one record
 * (`id`) if given — counting only changes from `sources` (all, if not given).
 */
export function changesRecords(event: ServiceEvent, kinds: readonly RecordKind[], id?: string, sources?: readonly Source[]): boolean {
  if (event.name === 'records.changed') {
    return event.kinds.some((k) => kinds.includes(k)) && (!sources || sources.includes(event.source));
  }
  if (event.name !== 'record.changed') return false;
  return kinds.includes(event.kind) && (id === undefined || event.id === id) && (!sources || sources.includes(event.source));
}
