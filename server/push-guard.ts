// What the server checks before it stores a push: each update is applied to its record's
// doc as the server has stored it, and the result must still be a record a device can
// show and trust (README, "What the server checks"):
//   - it decodes, and builds only on changes the server has (shared/sync-update-check.ts);
//   - it writes only the root types of its kind's layout (shared/record-layout.ts), nested
//     no deeper than MAX_TYPE_DEPTH types and MAX_VALUE_DEPTH levels of plain values;
//   - it keeps its kind, and every field it changes is valid for that kind (the zod
//     schemas of shared/domain.ts, read the way a device reads them); a field that was
//     already invalid and that it leaves alone does not stop it;
//   - every stamp and every `createdBy`/`updatedBy`/`deletedBy` it writes names the user
//     of the token it came with (its value in the update's own bytes, so a write that
//     loses to a concurrent one is checked too), except a lead's on a record the server
//     has never had: restoring a server, a lead's device re-sends what the team wrote;
//   - only a lead merges, unmerges or settles conflicts (shared/merge-layout.ts), or writes
//     a kind only leads may write (the workspace's privacy settings, shared/kinds/policy.ts);
//   - a worker never rewrites who created a record the server has, or when (`createdBy`,
//     `createdAt`: only a record's creation writes them, and reports count records added
//     by whom and when).
//
// Merge state is compared by value before and after, not by keys written: Yjs encodes a
// map entry that overwrites an earlier one with only its left neighbour (`origin`), so an
// update's bytes cannot say which map it writes; once applied, each item knows. Comparing
// values lets a worker create records (creation writes `mergedInto: null`, which changes
// nothing). A record the server has never seen is not merge-guarded: a device that merged
// its own new records before joining its team as a worker would otherwise have every later
// change stuck behind that push, and merging a record nobody else has takes nothing from
// anyone (its survivor's `merges` log, on a record the server has, stays guarded).
import * as Y from 'yjs';
import type { z } from 'zod';
import { FIELDS, KINDS, RECORD_KINDS, type RecordKind } from '../shared/domain';
import { sameValue } from '../shared/field-items';
import { groupBy } from '../shared/group-by';
import { MERGE_META, MERGES_MAP, RESOLVED_MAP } from '../shared/merge-layout';
import { ROOTS, ROOT_PREFIX, changedFields, changedRoots, metaOf, readData, rereadFields, stateVectorOf, storageOf } from '../shared/record-layout';
import type { PushItem, SyncRole, SyncUser } from '../shared/sync-protocol';
import { checkUpdate } from '../shared/sync-update-check';
import type { DocCache, StoredDoc } from './doc-cache';
import type { SyncStore } from './store';

/** Types inside types: a collection item is 2 deep; rich text nests lists in lists, well under this. */
export const MAX_TYPE_DEPTH = 32;
/** Levels of plain JSON inside one value: a stamp or a location is 2. */
export const MAX_VALUE_DEPTH = 8;

/** Meta keys naming a person: whoever writes them must be the token's user. */
const AUTHOR_META = new Set(['createdBy', 'updatedBy', 'deletedBy']);
const MERGE_KEYS = Object.values(MERGE_META);

const isRecordKind = (value: unknown): value is RecordKind => typeof value === 'string' && (RECORD_KINDS as readonly string[]).includes(value);

/** Who created a record and when, as one comparable value. */
function creationOf(doc: Y.Doc): string {
  const meta = metaOf(doc);
  return JSON.stringify([meta.get('createdAt') ?? null, meta.get('createdBy') ?? null]);
}

function mergeState(doc: Y.Doc): string {
  const meta = metaOf(doc);
  // A key never written reads as null: a new record is not merged.
  return JSON.stringify([MERGE_KEYS.map((key) => meta.get(key) ?? null), doc.getMap<unknown>(MERGES_MAP).toJSON()]);
}

/** Whether a value is nested too deep. Iterative: a hostile value may be nested 20,000 deep. */
function tooDeep(value: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof Y.AbstractType || v instanceof Uint8Array) continue;
    if (depth > MAX_VALUE_DEPTH) return true;
    for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** The plain values an item holds (text and types are checked by their own rules). */
function plainValues(content: Y.Item['content']): unknown[] {
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return content.getContent();
  if (content instanceof Y.ContentEmbed) return [content.embed];
  if (content instanceof Y.ContentFormat) return [content.value];
  return [];
}

const namesUser = (value: unknown, user: SyncUser) => {
  const author = value as { id?: unknown; name?: unknown } | null;
  return author !== null && typeof author === 'object' && author.id === user.id && author.name === user.name;
};

const describeValue = (value: unknown) => {
  // A person is named by name: an id means nothing to whoever reads the refusal.
  const name = (value as { name?: unknown } | null)?.name;
  if (typeof name === 'string') return name;
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** A doc of the push as stored, before it is rebuilt: from the cache (read already) or from its rows. */
interface Loaded {
  stored: StoredDoc;
  known: boolean;
  /** Whether `stored`'s kind, data and merge state are read yet (a doc rebuilt from its rows is read once rebuilt). */
  read: boolean;
}

/** A doc rebuilt for the push, while its updates are applied and it is judged. */
interface GuardedDoc extends StoredDoc {
  doc: Y.Doc;
  known: boolean;
  pending: boolean;
  /** Root types and `fields` keys this push wrote. */
  roots: Set<string>;
  fieldKeys: Set<string>;
  /** Root types this push changed, by insertion or deletion, with the keys changed directly in each (changedRoots). */
  changed: Map<string, Set<string | null>>;
}

/** A refusal: which record, and why, in words a person can act on. */
export interface Refusal {
  docId: string;
  msgId: number;
  reason: string;
}

/**
 * A doc kept with more updates than this is kept as its state encoded instead, so a rebuild
 * decodes one update and overwritten values stop costing bytes; encoding costs about a
 * rebuild, so not on every push.
 */
const MAX_KEPT_UPDATES = 8;

export class PushGuard {
  private readonly depths = new Map<Y.AbstractType<unknown>, { root: Y.AbstractType<unknown>; depth: number }>();
  /** Each doc that passed, as stored once the push is: for the cache (keepIn). */
  private readonly after = new Map<string, StoredDoc>();

  private constructor(
    private readonly docs: Map<string, Loaded>,
    private readonly role: SyncRole,
    private readonly user: SyncUser,
  ) {}

  /**
   * The docs one push touches, as stored: from `cache` where it has them (taken out until
   * `keepIn`), else their rows, read for all of them at once. A new doc costs an indexed
   * lookup that finds nothing.
   */
  static async load(
    store: SyncStore,
    workspaceId: string,
    items: PushItem[],
    role: SyncRole,
    user: SyncUser,
    cache: DocCache | null,
  ): Promise<PushGuard> {
    const docIds = [...new Set(items.map((i) => i.docId))];
    const docs = new Map<string, Loaded>();
    // A doc in the cache is one the store has.
    for (const docId of docIds) {
      const stored = cache?.take(workspaceId, docId);
      if (stored) docs.set(docId, { stored, known: true, read: true });
    }
    const missing = docIds.filter((docId) => !docs.has(docId));
    const rows = missing.length ? await store.docUpdates(workspaceId, missing) : new Map<string, Uint8Array[]>();
    for (const docId of missing) {
      const updates = rows.get(docId) ?? [];
      const bytes = updates.reduce((n, row) => n + row.byteLength, 0);
      docs.set(docId, { stored: { updates, kind: null, data: null, merge: '', created: '', bytes }, known: updates.length > 0, read: false });
    }
    return new PushGuard(docs, role, user);
  }

  /** The doc rebuilt from its updates, with what was read of it as stored. */
  private open(docId: string): GuardedDoc {
    const { stored, known, read } = this.docs.get(docId)!;
    const doc = new Y.Doc({ guid: docId });
    // One transaction: its clean-up (merging structs, observers) runs once, not once an update.
    Y.transact(doc, () => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    const pending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
    const opened = { ...stored, doc, known, pending, roots: new Set<string>(), fieldKeys: new Set<string>(), changed: new Map<string, Set<string | null>>() };
    if (read) return opened;
    const kind = metaOf(doc).get('kind');
    opened.kind = isRecordKind(kind) ? kind : null;
    // A record stored before these checks may be unreadable; it is then judged as new.
    try {
      opened.data = opened.kind ? readData(opened.kind, doc) : null;
      opened.merge = mergeState(doc);
      opened.created = creationOf(doc);
    } catch {
      opened.data = null;
    }
    return opened;
  }

  /**
   * Each record's items applied in order to its doc, then the record judged: every record
   * refused, with why. One doc at a time, each let go once judged: a rebuilt doc that dies
   * young is cheap to collect, one that lives through the whole push is copied and promoted.
   */
  check(items: PushItem[]): Refusal[] {
    const refused: Refusal[] = [];
    for (const [docId, docItems] of groupBy(items, (item) => item.docId)) {
      const guarded = this.open(docId);
      try {
        let reason: string | null = null;
        let msgId = docItems.at(-1)!.msgId;
        // A record refused is not half-applied further.
        for (const item of docItems) {
          reason = this.apply(guarded, item);
          if (reason) {
            msgId = item.msgId;
            break;
          }
        }
        reason ??= this.judge(docId, guarded, docItems);
        if (reason) refused.push({ docId, msgId, reason });
      } finally {
        guarded.doc.destroy();
        this.depths.clear();
      }
    }
    return refused;
  }

  /** Keep for the next push the docs the store now holds exactly as checked here (`kept`). */
  keepIn(cache: DocCache, workspaceId: string, kept: ReadonlySet<string>): void {
    for (const [docId, after] of this.after) if (kept.has(docId)) cache.put(workspaceId, docId, after);
  }

  private apply(guarded: GuardedDoc, item: PushItem): string | null {
    const { doc } = guarded;
    // What the server already has was checked when it was stored (a device re-sending a whole doc repeats it).
    const had = stateVectorOf(doc);
    // A lead restoring a server re-sends records the team wrote; nobody else may send others' words.
    const checkAuthors = this.role !== 'lead' || guarded.known;
    let structs: ReturnType<typeof Y.decodeUpdate>['structs'] = [];
    let problem: string | null = null;
    // What it changed, deletions included, decides which fields judge reads and checks again.
    Y.transact(doc, (transaction) => {
      problem = checkUpdate(item.update, doc, (decoded) => (structs = decoded.structs));
      for (const [root, keys] of changedRoots(doc, transaction)) {
        const at = guarded.changed.get(root) ?? new Set<string | null>();
        guarded.changed.set(root, at);
        for (const key of keys) at.add(key);
      }
    });
    if (problem) return problem;
    if (!guarded.pending && (doc.store.pendingStructs !== null || doc.store.pendingDs !== null)) {
      return 'it builds on changes the server does not have';
    }
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || struct.id.clock + struct.length <= (had.get(struct.id.client) ?? 0)) continue;
      const integrated = Y.getItem(doc.store, struct.id);
      // Its parent is gone and the doc has already collected it: nothing of it can show.
      if (!(integrated instanceof Y.Item) || !(integrated.parent instanceof Y.AbstractType)) continue;
      const { root, depth } = this.placeOf(integrated.parent);
      const rootName = Y.findRootTypeKey(root);
      if (depth > MAX_TYPE_DEPTH) return `it nests types ${depth} deep in ${rootName}; at most ${MAX_TYPE_DEPTH} are allowed`;
      guarded.roots.add(rootName);
      const key = root === integrated.parent ? integrated.parentSub : null;
      // The value as the update wrote it, even if a concurrent write hides it in the doc.
      const values = plainValues(struct.content);
      if (values.some(tooDeep)) return `a value in ${rootName} is nested more than ${MAX_VALUE_DEPTH} levels deep`;
      if (rootName === ROOTS.fields && key !== null) guarded.fieldKeys.add(key);
      if (rootName === RESOLVED_MAP && this.role !== 'lead') return 'only team leads may settle conflicts (it writes resolved)';
      const value = values[0];
      if (!checkAuthors) continue;
      if (rootName === ROOTS.stamps && key !== null && !namesUser((value as { author?: unknown } | null)?.author, this.user)) {
        return `its stamp of ${key} names ${describeValue((value as { author?: unknown } | null)?.author ?? value)}, not this device's user ${this.user.name}`;
      }
      if (rootName === ROOTS.meta && key !== null && AUTHOR_META.has(key) && value !== null && !namesUser(value, this.user)) {
        return `its ${key} names ${describeValue(value)}, not this device's user ${this.user.name}`;
      }
    }
    return null;
  }

  /** The root type a type hangs from and how deep it is, remembered: walking a 20,000-deep chain once per item would be quadratic. */
  private placeOf(type: Y.AbstractType<unknown>): { root: Y.AbstractType<unknown>; depth: number } {
    const chain: Y.AbstractType<unknown>[] = [];
    let current: Y.AbstractType<unknown> = type;
    let found = this.depths.get(current);
    while (!found && current._item && current._item.parent instanceof Y.AbstractType) {
      chain.push(current);
      current = current._item.parent;
      found = this.depths.get(current);
    }
    let place = found ?? { root: current, depth: 1 };
    if (!found) this.depths.set(current, place);
    for (const t of chain.reverse()) {
      place = { root: place.root, depth: place.depth + 1 };
      this.depths.set(t, place);
    }
    return this.depths.get(type)!;
  }

  /** The record after the whole push: its kind, its layout, its fields, its merge state. */
  private judge(docId: string, guarded: GuardedDoc, items: PushItem[]): string | null {
    const { doc } = guarded;
    const kind = metaOf(doc).get('kind');
    if (!isRecordKind(kind)) return `it leaves the record without a kind (${describeValue(kind)} is not one of ${RECORD_KINDS.join(', ')})`;
    if (guarded.kind && kind !== guarded.kind) return `it turns a ${guarded.kind} into a ${kind}`;
    // Whatever it writes: even a record the server never had (a worker may not create the settings either).
    if (KINDS[kind].writers === 'leads' && this.role !== 'lead') return `only team leads may change the ${KINDS[kind].labels.many}`;
    const storage = storageOf(kind);
    for (const root of guarded.roots) {
      const prefix = Object.entries(ROOT_PREFIX).find(([, p]) => root.startsWith(p));
      const allowed = prefix
        ? storage[root.slice(prefix[1].length)] === prefix[0]
        : (Object.values(ROOTS) as string[]).includes(root) || root === MERGES_MAP || root === RESOLVED_MAP;
      if (!allowed) return `it writes "${root}", which a ${kind} does not have`;
    }
    for (const key of guarded.fieldKeys) {
      if (storage[key] !== 'value') return `it writes a field "${key}", which a ${kind} does not have`;
    }
    // A record read before as this kind: only the fields the push changed can have changed.
    const before = guarded.kind === kind ? guarded.data : null;
    const shape = FIELDS[kind].shape as Record<string, z.ZodType>;
    const fields = before ? changedFields(kind, guarded.changed) : Object.keys(shape);
    const data = before ? rereadFields(kind, doc, before, fields) : (readData(kind, doc) as Record<string, unknown>);
    for (const field of fields) {
      const schema = shape[field];
      const parsed = schema ? schema.safeParse(data[field]) : null;
      if (!parsed || parsed.success) continue;
      // A field already invalid as stored, and left as it was, is the lead's to fix (sanitize.ts shows it).
      if (guarded.data && sameValue(guarded.data[field], data[field])) continue;
      const issue = parsed.error.issues[0];
      const where = [field, ...(issue?.path ?? [])].join('.');
      return `${where} ${issue?.message ?? 'is not valid'} (it would hold ${describeValue(data[field])})`;
    }
    // Merge state lives in meta and the merges map: a push that changed neither keeps it.
    const merge = before && !guarded.changed.has(ROOTS.meta) && !guarded.changed.has(MERGES_MAP) ? guarded.merge : mergeState(doc);
    if (this.role !== 'lead' && guarded.known && guarded.data !== null && merge !== guarded.merge) {
      return 'only team leads may merge or unmerge records (it merges or unmerges this one)';
    }
    const created = before && !guarded.changed.has(ROOTS.meta) ? guarded.created : creationOf(doc);
    if (this.role !== 'lead' && guarded.known && guarded.data !== null && created !== guarded.created) {
      return 'it rewrites who created this record or when (createdBy, createdAt), which only its creation says';
    }
    // What the store will hold: what it held, and this push's updates (or, past a few, the doc's state in one).
    const updates = guarded.updates.length + items.length > MAX_KEPT_UPDATES ? [Y.encodeStateAsUpdate(doc)] : [...guarded.updates, ...items.map((i) => i.update)];
    this.after.set(docId, { updates, kind, data, merge, created, bytes: updates.reduce((n, u) => n + u.byteLength, 0) });
    return null;
  }
}
