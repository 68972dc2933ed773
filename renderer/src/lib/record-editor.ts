// Editing one record in place: changes save on their own (debounced, and at once on blur,
// navigation or page hide), invalid values stay in the form with the data service's
// message next to the field while the valid ones are still saved, and each save (or
// restore from the history) can be undone: plain fields get back the values it replaced,
// lists and collections lose or regain only the members and items it added or removed.
import { Emitter } from '../../../shared/emitter';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { FIELD_STORAGE, referencesOf, type DataOf, type FieldStorage, type RecordKind, type RecordOf } from '../../../shared/domain';
import { applyDifference } from '../../../shared/field-items';
import type { RpcParams } from '../../../shared/rpc';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { issuesOf, type Issues } from './issues';
import { changesRecords, changesReferenced } from './record-events';

/** Typing pauses this long before a save; blur and navigation save at once. */
export const SAVE_DELAY_MS = 400;

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'invalid' | 'failed';

export interface EditorSnapshot<K extends RecordKind> {
  record: RecordOf<K> | null;
  /** What the form shows: the stored data overlaid with edits not saved (yet). */
  draft: DataOf<K> | null;
  loadError: string | null;
  status: SaveStatus;
  saveError: string | null;
  issues: Issues;
  canUndo: boolean;
}

type Data<K extends RecordKind> = DataOf<K>;
type Patch<K extends RecordKind> = Partial<Data<K>>;
/** One save as Undo takes it back: the fields' values before it and after it. */
interface UndoEntry<K extends RecordKind> {
  before: Patch<K>;
  after: Patch<K>;
}

const topField = (path: string) => path.split('.')[0]!;

export class RecordEditor<K extends RecordKind> {
  private snapshot: EditorSnapshot<K> = {
    record: null,
    draft: null,
    loadError: null,
    status: 'idle',
    saveError: null,
    issues: {},
    canUndo: false,
  };
  private readonly changed = new Emitter<[]>();
  /** Edits waiting for the next save. */
  private pending: Patch<K> = {};
  /** Values the data service refused; they stay visible until corrected. */
  private rejected: Patch<K> = {};
  private readonly undoStack: UndoEntry<K>[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Saves run one after another so each knows the values it replaces. */
  private queue: Promise<unknown> = Promise.resolve();
  private writing = 0;

  constructor(
    readonly kind: K,
    readonly id: string,
  ) {}

  subscribe = (listener: () => void): (() => void) => this.changed.on(listener);

  getSnapshot = (): EditorSnapshot<K> => this.snapshot;

  private publish(changes: Partial<EditorSnapshot<K>>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    this.changed.emit();
  }

  /** Load the record and follow changes made elsewhere; returns the stop function (which saves). */
  start(): () => void {
    void this.load();
    const off = onServiceEvent((event) => {
      // Our own writes answer with the new record; reload only for changes made elsewhere.
      if (this.writing > 0) return;
      // A record it points at merged into another now reads as that one (the data service
      // resolves references as it answers), so that is a reason to reload too.
      const record = this.snapshot.record;
      const references = record ? referencesOf(this.kind, record.data as Data<K>) : [];
      if (changesRecords(event, [this.kind], this.id) || changesReferenced(event, references)) void this.load();
    });
    const onHide = () => void this.flush();
    window.addEventListener('pagehide', onHide);
    return () => {
      off();
      window.removeEventListener('pagehide', onHide);
      void this.flush();
    };
  }

  private async load(): Promise<void> {
    try {
      this.show((await call('record.get', { kind: this.kind, id: this.id })) as RecordOf<K>);
    } catch (error) {
      if (!this.snapshot.record) this.publish({ loadError: errorMessage(error) });
    }
  }

  private show(record: RecordOf<K>): void {
    this.publish({ record, draft: { ...record.data, ...this.rejected, ...this.pending } as Data<K>, loadError: null });
  }

  private settledStatus(): SaveStatus {
    if (Object.keys(this.rejected).length) return 'invalid';
    return Object.keys(this.pending).length ? 'saving' : 'saved';
  }

  private clearIssues(fields: string[]): Issues {
    return Object.fromEntries(Object.entries(this.snapshot.issues).filter(([path]) => !fields.includes(topField(path))));
  }

  set<F extends keyof Data<K> & string>(field: F, value: Data<K>[F], options: { now?: boolean } = {}): void {
    if (!this.snapshot.draft) return;
    this.pending = { ...this.pending, [field]: value };
    delete this.rejected[field];
    this.publish({ draft: { ...this.snapshot.draft, [field]: value }, issues: this.clearIssues([field]), status: 'saving' });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), options.now ? 0 : SAVE_DELAY_MS);
  }

  /** Save every pending edit now. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    return this.enqueue(() => this.savePending());
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async savePending(): Promise<void> {
    const record = this.snapshot.record;
    const patch = this.pending;
    const fields = Object.keys(patch) as (keyof Data<K> & string)[];
    if (!record || fields.length === 0) return;
    this.pending = {};
    const before = Object.fromEntries(fields.map((f) => [f, (record.data as Data<K>)[f]])) as Patch<K>;
    if (await this.write(patch)) this.pushUndo(before);
    if (Object.keys(this.pending).length) await this.savePending();
  }

  /** Remember a save that replaced `before`, with what its fields hold now, for Undo. */
  private pushUndo(before: Patch<K>): void {
    const data = this.snapshot.record!.data as Data<K>;
    const after = Object.fromEntries(Object.keys(before).map((f) => [f, data[f as keyof Data<K>]])) as Patch<K>;
    this.undoStack.push({ before, after });
    this.publish({ canUndo: true });
  }

  /**
   * Put back what one change in the record's history did (the data service touches only
   * that field, member or item), as a save of its own that Undo takes back. Rejects with
   * the data service's reason when it no longer makes sense.
   */
  restoreFromHistory(historyId: number, field: string): Promise<void> {
    clearTimeout(this.timer);
    return this.enqueue(async () => {
      await this.savePending();
      const before = { [field]: (this.snapshot.record!.data as Record<string, unknown>)[field] } as Patch<K>;
      this.writing++;
      try {
        this.show((await call('record.restoreValue', { kind: this.kind, id: this.id, historyId, side: 'after' })) as RecordOf<K>);
      } finally {
        this.writing--;
      }
      this.pushUndo(before);
      this.publish({ status: this.settledStatus() });
    });
  }

  /** Write a patch; on refusal keep what was valid pending and what was not visible with its message. */
  private async write(patch: Patch<K>): Promise<boolean> {
    this.writing++;
    this.publish({ status: 'saving', saveError: null });
    try {
      const params = { kind: this.kind, id: this.id, patch } as RpcParams<'record.update'>;
      this.show((await call('record.update', params)) as RecordOf<K>);
      this.publish({ status: this.settledStatus() });
      return true;
    } catch (error) {
      const issues = issuesOf(error);
      const refused = new Set(Object.keys(issues).map(topField));
      const fields = Object.keys(patch) as (keyof Data<K> & string)[];
      if (fields.some((f) => refused.has(f))) {
        for (const f of fields) {
          if (refused.has(f)) this.rejected[f] = patch[f];
          else if (!(f in this.pending)) this.pending[f] = patch[f];
        }
        this.publish({ issues: { ...this.snapshot.issues, ...issues }, status: 'invalid' });
      } else {
        // Not the values' fault (e.g. the connection dropped): keep them for the next try.
        this.pending = { ...patch, ...this.pending };
        this.publish({ status: 'failed', saveError: errorMessage(error) });
      }
      return false;
    } finally {
      this.writing--;
    }
  }

  /**
   * Take back the last save: its plain fields get the values it replaced; of a list or a
   * collection, only the members and items it changed go back, so what others changed
   * since (a colleague's attendee, synced meanwhile) stays.
   */
  undo(): Promise<void> {
    clearTimeout(this.timer);
    return this.enqueue(async () => {
      await this.savePending();
      const entry = this.undoStack.pop();
      const record = this.snapshot.record;
      if (!entry || !record) return;
      const fields = Object.keys(entry.before) as (keyof Data<K> & string)[];
      const storage = FIELD_STORAGE[this.kind] as Record<string, FieldStorage>;
      const patch = Object.fromEntries(
        fields.map((f) => [f, applyDifference(storage[f]!, (record.data as Data<K>)[f], entry.after[f], entry.before[f]).value]),
      ) as Patch<K>;
      for (const f of fields) delete this.rejected[f];
      this.publish({ issues: this.clearIssues(fields) });
      if (!(await this.write(patch))) this.undoStack.push(entry);
      this.publish({ canUndo: this.undoStack.length > 0 });
    });
  }

  /** Run another kind of write (soft delete, rich-text update) in turn, under the same save status. */
  private track = <T>(write: () => Promise<T>): Promise<T> =>
    this.enqueue(async () => {
      this.writing++;
      this.publish({ status: 'saving', saveError: null });
      try {
        const result = await write();
        this.publish({ status: this.settledStatus() });
        return result;
      } catch (error) {
        this.publish({ status: 'failed', saveError: errorMessage(error) });
        throw error;
      } finally {
        this.writing--;
      }
    });

  /** Send a Yjs update made by this page's rich-text replica of the record's doc. */
  sendDocUpdate = (update: string): Promise<void> =>
    this.track(async () => this.show((await call('doc.update', { id: this.id, update })) as RecordOf<K>));

  remove(): Promise<void> {
    return this.flush().then(() =>
      this.track(async () => this.show((await call('record.delete', { kind: this.kind, id: this.id })) as RecordOf<K>)),
    );
  }

  restore(): Promise<void> {
    return this.track(async () => this.show((await call('record.restore', { kind: this.kind, id: this.id })) as RecordOf<K>));
  }
}

export function useRecordEditor<K extends RecordKind>(kind: K, id: string): [EditorSnapshot<K>, RecordEditor<K>] {
  const [editor] = useState(() => new RecordEditor(kind, id));
  useEffect(() => editor.start(), [editor]);
  return [useSyncExternalStore(editor.subscribe, editor.getSnapshot), editor];
}
