// A new record's id: a UUID whose first 48 bits are the time it was made (RFC 9562
// version 7, monotonic within this process). Records made one after another get ids in
// order, so every B-tree keyed by record id — docs, the records' id index, facets by
// record, history, the sync outbox — takes a new record at its end instead of at a random
// page: a bulk import dirties a few pages per batch where random (version 4) ids dirtied
// one per index per record, and the pages it touches stay in the cache. The time in the
// id tells nothing the record does not keep anyway (its createdAt).
import { v7 } from 'uuid';

export function newRecordId(): string {
  return v7();
}
