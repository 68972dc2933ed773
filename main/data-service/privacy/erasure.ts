// Erasing a person for good, on this device and — as the sync client sends the erasure and
// every device applies it — on every replica and the sync server.
//
// What goes: the contact, every contact merged into it, and every record that cannot stand
// without them (a connection to them): each of those records' rows in every table of the
// workspace file, found by walking WORKSPACE_TABLES (db/tables.ts), so a table that holds
// personal data cannot be left out. Records that only name them are rewritten by the lead's
// device as ordinary, synced CRDT writes, so every replica converges once: a session they
// came to or facilitated counts them in its anonymous head-count instead (its total stays
// true), an action they owned is left without an owner, an asset's contact person is
// cleared — each with a line in the record's history saying so in words. Those docs are then
// written again as one snapshot, so Yjs drops the deleted content. Mentions of their name in
// other records' free text are only listed (mentionsPage): the lead redacts them; the app
// does not guess. The same erasures can be applied to any workspace file by path and key
// (scrubWorkspaceFile): every backup is written with every erasure known when it is final
// (catchUpErasures), and those already on disk are scrubbed as an erasure happens.
import { randomUUID } from 'node:crypto';
import {
  FIELD_STORAGE,
  FREE_TEXT_FIELDS,
  KINDS,
  referencesOf,
  type AnyRecord,
  type DataOf,
  type KindDescription,
  type RecordKind,
  type RecordReference,
} from '../../../shared/domain';
import type { Item } from '../../../shared/field-items';
import { RpcError } from '../../../shared/rpc';
import type { ErasurePlan, ErasureRecordRef, ErasureResult, Mention, MentionsPage } from '../../../shared/rpc-erasure';
import { openSqlite, type SqliteDatabase } from '../db/sqlite';
import { WORKSPACE_TABLES } from '../db/tables';
import { openWorkspaceDb } from '../db/workspace-db';
import { writePatch } from '../record-doc';
import { foldText } from '../text';
import type { Workspace } from '../workspace';
import { ErasureLog, type Erasure } from './erasure-log';

/**
 * Delete every row any table of a workspace file holds of these records (each claim's
 * `recordRows`), inside the caller's transaction, and take them off the record counts.
 */
export function deleteRecordRows(db: SqliteDatabase, ids: readonly string[]): void {
  const claims = WORKSPACE_TABLES.filter((claim) => claim.recordRows !== null);
  const ordered = [...claims.filter((claim) => claim.byRid), ...claims.filter((claim) => !claim.byRid)];
  const deletes = ordered.map((claim) => db.prepare(`DELETE FROM ${claim.table} WHERE ${claim.recordRows}`));
  // record_counts holds no record's rows, only how many there are of each kind and status.
  const uncount = db.prepare('UPDATE record_counts SET n = n - 1 WHERE (kind, status) = (SELECT kind, status FROM records WHERE id = @id)');
  const beforeErase = WORKSPACE_TABLES.flatMap((claim) => (claim.beforeErase ? [claim.beforeErase] : []));
  for (const id of ids) {
    for (const redact of beforeErase) redact(db, id);
    uncount.run({ id });
    for (const statement of deletes) statement.run({ id });
  }
  db.prepare('DELETE FROM record_counts WHERE n <= 0').run();
  // A full-text index keeps deleted rows' words behind delete markers (migration 13) until
  // its segments merge: merging them all now drops every word of these records, and of
  // their earlier versions, from the file (secure_delete zeroes the pages that frees).
  for (const claim of ordered.filter((c) => c.fts)) db.prepare(`INSERT INTO ${claim.table} (${claim.table}) VALUES ('optimize')`).run();
}

/** Log an erasure, keep its tombstones and delete its records' rows, inside the caller's transaction. False: it was applied here before. */
export function applyErasure(db: SqliteDatabase, log: ErasureLog, erasure: Erasure, sent: boolean): boolean {
  const isNew = log.record(erasure, sent);
  deleteRecordRows(db, erasure.recordIds);
  return isNew;
}

/**
 * Apply to a workspace file that is not open here (a backup) each of these erasures it has
 * not had yet: the same rows go, its tombstones stay, and closing checkpoints the WAL into
 * the file and empties it. How many it lacked. `key`: the file's key when it is encrypted
 * (db/sqlite.ts); `unsent`: erasures the sync server has not stored yet, logged so in the copy.
 */
export function scrubWorkspaceFile(path: string, erasures: readonly Erasure[], options: { key?: Buffer; unsent?: ReadonlySet<string> } = {}): number {
  // Looked at read-only first: a file that has them all is left exactly as it was. One from
  // before erasures existed has no log yet (opening it for writing migrates it).
  const reader = openSqlite(path, { readonly: true, fileMustExist: true, key: options.key });
  let missing: Erasure[];
  try {
    const hasLog = reader.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'erasure_log'").get() !== undefined;
    const applied = new Set(hasLog ? (reader.prepare('SELECT erasure_id FROM erasure_log').pluck().all() as string[]) : []);
    missing = erasures.filter((erasure) => !applied.has(erasure.erasureId));
  } finally {
    reader.close();
  }
  if (missing.length === 0) return 0;
  const file = openWorkspaceDb(path, { key: options.key });
  try {
    const log = new ErasureLog(file.sql);
    file.sql.transaction(() => {
      for (const erasure of missing) applyErasure(file.sql, log, erasure, !options.unsent?.has(erasure.erasureId));
    })();
    return missing.length;
  } finally {
    file.close();
  }
}

/**
 * Give a copy of the workspace being written (a backup, before it is final) every erasure
 * the workspace on `live` knows now: the copy's snapshot may predate some. How many it lacked.
 */
export function catchUpErasures(live: SqliteDatabase, copyPath: string, key: Buffer | undefined): number {
  const log = new ErasureLog(live);
  return scrubWorkspaceFile(copyPath, log.all(), { key, unsent: new Set(log.unsent().map((erasure) => erasure.erasureId)) });
}

// ---------------------------------------------------------------- what erasing does to other records

/** Fields whose people are counted in a kind's anonymous head-count once they are erased, so its total stays true. */
const COUNTED_BY_NAME: Partial<Record<RecordKind, { fields: readonly string[]; headCount: string }>> = {
  session: { fields: ['attendeeIds', 'facilitatorIds'], headCount: 'anonymousHeadCount' },
};

/** Reference fields as the history line names them, where the kind's description has no label of its own. */
const REFERENCE_WORDS: Record<string, string> = { contactPersonId: 'contact person' };

/** What an erasure does to a record that names the person. */
interface Effect {
  /** The record cannot stand without them (a required reference: a connection's end): it is erased too. */
  erase: boolean;
  patch: Record<string, unknown>;
  /** The record counts them in its head-count now. */
  counted: boolean;
  /** Texts of the actions left without an owner. */
  actions: string[];
  /** Other reference fields cleared (an asset's contact person). */
  cleared: string[];
}

function effectOn(kind: RecordKind, data: Record<string, unknown>, people: ReadonlySet<string>): Effect {
  const description = KINDS[kind] as unknown as KindDescription;
  const refs = referencesOf(kind, data as DataOf<RecordKind>).filter((ref: RecordReference) => people.has(ref.id));
  const effect: Effect = { erase: false, patch: {}, counted: false, actions: [], cleared: [] };
  const counting = COUNTED_BY_NAME[kind];
  for (const ref of refs) {
    const [field, index, property] = ref.field.split('.') as [string, string?, string?];
    if ((description.required as readonly string[]).includes(field)) return { ...effect, erase: true };
    const current = effect.patch[field] ?? data[field];
    if (index === undefined) {
      effect.patch[field] = null;
      effect.cleared.push(field);
    } else if (property === undefined) {
      effect.patch[field] = (current as string[]).filter((id) => !people.has(id));
      if (counting?.fields.includes(field)) effect.counted = true;
    } else {
      const items = current as Item[];
      const item = items[Number(index)]!;
      effect.patch[field] = items.map((i) => (i.id === item.id ? { ...i, [property]: null } : i));
      if (typeof item.text === 'string') effect.actions.push(item.text);
    }
  }
  if (effect.counted && counting) effect.patch[counting.headCount] = Number(data[counting.headCount] ?? 0) + 1;
  return effect;
}

/** The history line a rewritten record gets: what happened, in words, naming no one. */
function effectInWords(kind: RecordKind, effect: Effect): string {
  const labels = (KINDS[kind] as unknown as KindDescription).labels;
  const lines = [
    effect.counted && 'A person named here was erased: they are counted in the anonymous head-count now.',
    ...effect.actions.map((text) => `The owner of the action “${text}” was erased: it has no owner now and needs a new one.`),
    ...effect.cleared.map((field) => `Its ${labels.fields?.[field] ?? REFERENCE_WORDS[field] ?? field} was erased: there is none now.`),
  ];
  return lines.filter(Boolean).join(' ');
}

// ---------------------------------------------------------------- the plan, mentions, the erasure

/** The contact standing for `id` (after merges), or not_found. */
function personOf(ws: Workspace, id: string): { id: string; name: string } {
  const root = ws.resolveId(id);
  const person = ws.get('contact', root);
  return { id: root, name: person.data.name };
}

const refOf = (record: Pick<AnyRecord, 'id' | 'kind'>, title: string): ErasureRecordRef => ({ id: record.id, kind: record.kind, title });

/** The records that name the person, each with what erasing them does to it. */
function referrers(ws: Workspace, people: string[]): { record: AnyRecord; effect: Effect }[] {
  const set = new Set(people);
  return ws.links.referrersOf(people).flatMap((id) => {
    const record = ws.records.stored(id);
    return record ? [{ record, effect: effectOn(record.kind, record.data as Record<string, unknown>, set) }] : [];
  });
}

/** What erasing the person will do, for the lead to read before confirming. */
export function planErasure(ws: Workspace, id: string): ErasurePlan {
  const person = personOf(ws, id);
  const people = ws.aliasesOf(person.id);
  const found = referrers(ws, people);
  const erased = found.filter((f) => f.effect.erase);
  const rewritten = found.filter((f) => !f.effect.erase);
  return {
    person,
    records: people.length + erased.length,
    mergedIn: people.filter((p) => p !== person.id).map((p) => refOf({ id: p, kind: 'contact' }, ws.titleOf(p))),
    connections: erased.filter((f) => f.record.kind === 'connection').length,
    sessions: rewritten.filter((f) => f.effect.counted).map((f) => refOf(f.record, ws.titleOf(f.record.id))),
    actions: rewritten.flatMap((f) => f.effect.actions.map((text) => ({ session: refOf(f.record, ws.titleOf(f.record.id)), text }))),
    assets: rewritten.filter((f) => f.effect.cleared.length > 0).map((f) => refOf(f.record, ws.titleOf(f.record.id))),
    recordsToCheck: ws.records.storedCount(),
  };
}

/** Whether folded `text` holds folded `name` as whole words. */
function namesIn(text: string, name: string): boolean {
  const folded = foldText(text);
  const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (let at = folded.indexOf(name); at >= 0; at = folded.indexOf(name, at + 1)) {
    if (!isWordChar(folded[at - 1]) && !isWordChar(folded[at + name.length])) return true;
  }
  return false;
}

/** A record's free text, field by field: its free-text and rich-text fields, and the texts of its collections' items. */
function freeTexts(kind: RecordKind, data: Record<string, unknown>): { field: string; text: string }[] {
  const storage = FIELD_STORAGE[kind] as Record<string, string>;
  const freeText = FREE_TEXT_FIELDS[kind] as readonly string[];
  return Object.entries(storage).flatMap(([field, how]) => {
    const value = data[field];
    if ((how === 'richtext' || freeText.includes(field)) && typeof value === 'string') return [{ field, text: value }];
    if (how !== 'collection' || !Array.isArray(value)) return [];
    return (value as Item[]).flatMap((item) =>
      Object.entries(item).flatMap(([property, text]) => (property !== 'id' && typeof text === 'string' ? [{ field: `${field}.${item.id}.${property}`, text }] : [])),
    );
  });
}

/**
 * Records whose free text names the person (any of the names of the contacts merged into
 * them), a page of records at a time: a large workspace shows progress and can be
 * cancelled, since nothing has changed yet. The person's own records and connections are
 * left out (they go).
 */
export function mentionsPage(ws: Workspace, q: { id: string; after: number; limit: number }): MentionsPage {
  const person = personOf(ws, q.id);
  const people = ws.aliasesOf(person.id);
  const names = [...new Set(people.map((p) => foldText(ws.titleOf(p))).filter((n) => n.length > 0))];
  const set = new Set(people);
  const naming = new Set(ws.links.referrersOf(people));
  const { records, next } = ws.records.page(q.after, q.limit);
  const mentions: Mention[] = [];
  for (const { record, title } of records) {
    const data = record.data as Record<string, unknown>;
    if (set.has(record.id) || (naming.has(record.id) && effectOn(record.kind, data, set).erase)) continue;
    const fields = freeTexts(record.kind, data).filter((f) => names.some((name) => namesIn(f.text, name)));
    if (fields.length) mentions.push({ id: record.id, kind: record.kind, title, fields: fields.map((f) => f.field) });
  }
  return { mentions, checked: records.length, next };
}

/**
 * Erase the person for good (a lead's act, checked by the caller): `confirmName` must be
 * their name as shown. One transaction: the records naming them are rewritten (synced like
 * any edit), then their records go; the erasure waits for the sync client to send it.
 */
export function eraseContact(ws: Workspace, params: { id: string; confirmName: string }): ErasureResult {
  const person = personOf(ws, params.id);
  if (foldText(params.confirmName) !== foldText(person.name)) {
    throw RpcError.invalid([{ field: 'confirmName', message: `type their name exactly as shown, “${person.name}”, to confirm` }]);
  }
  return erasePerson(ws, person);
}

/**
 * Erase several people for good (the retention review's bulk erase, a lead's act checked by
 * the caller), each as its own erasure; `reason` is kept in the erasure log beside each.
 */
export function eraseContacts(ws: Workspace, ids: readonly string[], reason: string): { erased: number } {
  for (const id of ids) {
    const { erasureId } = erasePerson(ws, personOf(ws, id));
    ws.erasures.setReason(erasureId, reason);
  }
  return { erased: ids.length };
}

function erasePerson(ws: Workspace, person: ReturnType<typeof personOf>): ErasureResult {
  let result!: Omit<ErasureResult, 'erasureId' | 'records'>;
  const erasure = ws.erase(() => {
    const people = ws.aliasesOf(person.id);
    const set = new Set(people);
    const found = referrers(ws, people);
    const going = [...people, ...found.filter((f) => f.effect.erase).map((f) => f.record.id)];
    const rewritten = found.filter((f) => !f.effect.erase);
    for (const { record } of rewritten) {
      // Worked out again from the doc itself, which is the truth the projection was read from.
      ws.changeRecord(record.kind, record.id, (doc, current, _meta, stamp) => {
        const effect = effectOn(record.kind, current as Record<string, unknown>, set);
        const changes = writePatch(record.kind, doc, current as Record<string, unknown>, effect.patch, stamp);
        return changes.length ? [...changes, { field: '(erasure)', before: null, after: effectInWords(record.kind, effect) }] : [];
      });
      ws.reencodeDoc(record.id);
    }
    result = {
      mergedIn: people.length - 1,
      connections: found.filter((f) => f.effect.erase && f.record.kind === 'connection').length,
      sessions: rewritten.filter((f) => f.effect.counted).length,
      actions: rewritten.flatMap((f) => f.effect.actions.map((text) => ({ session: refOf(f.record, ws.titleOf(f.record.id)), text }))),
      assets: rewritten.filter((f) => f.effect.cleared.length > 0).length,
    };
    return { erasureId: randomUUID(), at: new Date().toISOString(), by: ws.author, recordIds: going };
  }, false);
  return { erasureId: erasure.erasureId, records: erasure.recordIds.length, ...result };
}
