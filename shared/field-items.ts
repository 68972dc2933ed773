// Sets and collections item by item: what changed between two values of a field (one
// history entry per member or item, so "added Maggie O'Brien" stays about Maggie), and
// putting one such difference onto a value that has changed since, touching nothing else.
// Shared by the data service (history, restoring from it, unmerge) and the renderer (the
// restore preview, undo), so both sides agree on what a restore or an undo will do.
import type { FieldStorage } from './domain';

/** One field's value before and after a change; `field.item` for one member or item of a set or collection. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  /** False for a write that lost a conflict: `before` is the value the record kept instead. */
  kept?: boolean;
}

export type Item = Record<string, unknown> & { id: string };

/** Canonical JSON: object keys sorted, so equal values always compare and store equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether two values of a field are the same. Most are text or lists of ids: compared as they are, without JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return canonicalJson(a) === canonicalJson(b);
}

/** `attendeeIds.<id>` → attendeeIds and the id. Field names hold no dot; a member (a theme) may. */
export function splitKey(key: string): { field: string; item: string | null } {
  const dot = key.indexOf('.');
  return dot < 0 ? { field: key, item: null } : { field: key.slice(0, dot), item: key.slice(dot + 1) };
}

/**
 * What changed between two values of a field: the field itself for a plain value; for a
 * set, one change per member added (before null, after the member) or removed; for a
 * collection, one per item added, removed or edited (before and after the whole item, or
 * null), and the field itself (the kept items' ids in order) when they were moved.
 */
export function fieldChanges(storage: FieldStorage, field: string, before: unknown, after: unknown): FieldChange[] {
  switch (storage) {
    case 'value':
    case 'richtext':
      return sameValue(before, after) ? [] : [{ field, before, after }];
    case 'set': {
      const had = new Set((before ?? []) as string[]);
      const has = new Set((after ?? []) as string[]);
      return [
        ...[...had].filter((m) => !has.has(m)).map((m) => ({ field: `${field}.${m}`, before: m, after: null })),
        ...[...has].filter((m) => !had.has(m)).map((m) => ({ field: `${field}.${m}`, before: null, after: m })),
      ];
    }
    case 'collection': {
      const old = (before ?? []) as Item[];
      const now = (after ?? []) as Item[];
      const previous = new Map(old.map((item) => [item.id, item]));
      const kept = new Set(now.map((item) => item.id));
      const changes: FieldChange[] = now
        .filter((item) => !sameValue(previous.get(item.id), item))
        .map((item) => ({ field: `${field}.${item.id}`, before: previous.get(item.id) ?? null, after: item }));
      for (const item of old) if (!kept.has(item.id)) changes.push({ field: `${field}.${item.id}`, before: item, after: null });
      const orderBefore = old.map((item) => item.id).filter((id) => kept.has(id));
      const orderAfter = now.map((item) => item.id).filter((id) => previous.has(id));
      if (!sameValue(orderBefore, orderAfter)) changes.push({ field, before: orderBefore, after: orderAfter });
      return changes;
    }
  }
}

/**
 * A history entry as a change of its whole field: an item's entry becomes lists of zero
 * or one item, an entry written before history was item by item stays the whole lists.
 * Null for what cannot be put back item by item: a collection's new order.
 */
export function asFieldChange(storage: FieldStorage, change: FieldChange): FieldChange | null {
  const { field, item } = splitKey(change.field);
  if (storage !== 'set' && storage !== 'collection') return { ...change, field };
  if (item === null) {
    const sample = [change.before, change.after].flat().find((v) => v !== null && v !== undefined);
    if (storage === 'collection' && typeof sample !== 'object') return null;
    return { field, before: change.before ?? [], after: change.after ?? [] };
  }
  const asList = (v: unknown) => (v === null || v === undefined ? [] : [v]);
  return { field, before: asList(change.before), after: asList(change.after) };
}

export interface Applied {
  value: unknown;
  /** Items the difference edits in place that `current` no longer holds: left out. */
  gone: Item[];
}

/**
 * `current` with the difference `from` → `to` applied and nothing else: members and items
 * `to` adds are added (an item after the one it followed), those it drops are removed, and
 * an item edited in place gets only the properties that differ between `from` and `to`,
 * so whatever was changed since in other items or properties stays.
 */
export function applyDifference(storage: FieldStorage, current: unknown, from: unknown, to: unknown): Applied {
  if (storage === 'value' || storage === 'richtext') return { value: to, gone: [] };
  if (storage === 'set') {
    const had = new Set((from ?? []) as string[]);
    const has = new Set((to ?? []) as string[]);
    const members = new Set(((current ?? []) as string[]).filter((m) => !had.has(m) || has.has(m)));
    for (const m of has) if (!had.has(m)) members.add(m);
    return { value: [...members].sort(), gone: [] };
  }
  const was = new Map(((from ?? []) as Item[]).map((item) => [item.id, item]));
  const wanted = (to ?? []) as Item[];
  const keep = new Set(wanted.map((item) => item.id));
  const items = ((current ?? []) as Item[]).filter((item) => !was.has(item.id) || keep.has(item.id));
  const gone: Item[] = [];
  wanted.forEach((item, index) => {
    const old = was.get(item.id);
    const at = items.findIndex((i) => i.id === item.id);
    if (at >= 0) {
      const changed = Object.keys(item).filter((key) => !old || !sameValue(old[key], item[key]));
      items[at] = { ...items[at]!, ...Object.fromEntries(changed.map((key) => [key, item[key]])) };
    } else if (old) {
      gone.push(item);
    } else {
      const previous = index > 0 ? items.findIndex((i) => i.id === wanted[index - 1]!.id) : -1;
      items.splice(previous >= 0 ? previous + 1 : index === 0 && wanted.length > 1 ? 0 : items.length, 0, item);
    }
  });
  return { value: items, gone };
}
