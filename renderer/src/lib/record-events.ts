// What a service event means for a view of records: one record changed (`record.changed`)
// or many of some kinds at once (`records.changed`, a sync batch or an import).
import type { RecordKind, RecordReference } from '../../../shared/domain';
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

/**
 * Whether `event` may change one of the records a view names besides its own (an
 * attendee, a venue, a connection's ends). Renamed, or merged into another record, each
 * is a change to that record itself — the record that refers to it does not change.
 */
export function changesReferenced(event: ServiceEvent, references: readonly Pick<RecordReference, 'id' | 'kinds'>[]): boolean {
  return references.some((r) => changesRecords(event, r.kinds, r.id));
}
