// The frame of every record page: title, save status with Undo, delete and restore, the
// data service's complaints summarised at the top, connections and history alongside.
import { useEffect, type ReactNode } from 'react';
import { recordTitle, type DataOf, type ListedKind, type RecordKind } from '../../../shared/domain';
import { href, SECTION_OF } from '../app/router';
import { useProfile } from '../app/profile';
import { SaveStatus } from '../components/SaveStatus';
import { MergeBanners } from '../team/MergeBanners';
import { formatDate, formatRelative } from '../../../shared/format';
import { fieldId, issueSentence, problemIssues, type Issues } from '../lib/issues';
import { KIND_LABEL, fieldLabel } from '../../../shared/labels';
import type { EditorSnapshot, RecordEditor } from '../lib/record-editor';
import { LIST_CONFIG } from '../lists/list-config';
import { ConnectionsPanel } from './ConnectionsPanel';
import { HistoryPanel } from './HistoryPanel';

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'number', 'password']);

/** Where Ctrl+Z belongs to the control itself (undoing typing), not to the record. */
function editsText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

interface Props<K extends ListedKind> {
  kind: K;
  snapshot: EditorSnapshot<K>;
  editor: RecordEditor<K>;
  /** Contacts and assets list their connections and offer "Connect to…". */
  connections?: boolean;
  /** Other records' links to this one (sessions, actions), listed beside the form. */
  related?: ReactNode;
  /** What else may be done to the record as a whole, after Delete (a contact: erasing the person, for leads). */
  recordActions?: ReactNode;
  children: (draft: DataOf<K>) => ReactNode;
}

export function DetailPage<K extends ListedKind>({ kind, snapshot, editor, connections, related, recordActions, children }: Props<K>) {
  const me = useProfile((s) => s.profile?.author?.id);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && !editsText(e.target)) {
        e.preventDefault();
        void editor.undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor]);

  const list = LIST_CONFIG[kind];
  const back = (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <a href={href(SECTION_OF[kind])} aria-label={`Back to ${list.title}`}>
        <span aria-hidden="true">← </span>
        {list.title}
      </a>
    </nav>
  );
  if (snapshot.loadError) {
    return (
      <div className="detail">
        {back}
        <h1 id="page-heading" tabIndex={-1}>
          This {KIND_LABEL[kind].one} could not be opened
        </h1>
        <p className="banner banner--error" role="alert">
          {snapshot.loadError}
        </p>
      </div>
    );
  }
  const { record, draft } = snapshot;
  if (!record || !draft) return <p className="loading">Loading…</p>;
  const who = (author: { id: string; name: string }) => (author.id === me ? 'you' : author.name);
  const deleted = record.deletedAt !== null;
  // A record merged into another is kept as it was; edits belong on the survivor.
  const readOnly = deleted || record.mergedInto !== null;
  const title = recordTitle(kind, draft as Record<string, unknown>) || '(untitled)';

  return (
    <div className="detail">
      {back}
      <header className="detail-header">
        <div className="detail-title">
          <h1 id="page-heading" tabIndex={-1}>
            {title}
          </h1>
          <p className="meta">
            {KIND_LABEL[kind].one.replace(/^./, (c) => c.toUpperCase())} added by {who(record.createdBy)} on {formatDate(record.createdAt)}
            {record.updatedAt !== record.createdAt && ` · last changed by ${who(record.updatedBy)} ${formatRelative(record.updatedAt)}`}
          </p>
        </div>
        <div className="detail-tools">
          <SaveStatus
            status={snapshot.status}
            error={snapshot.saveError}
            canUndo={snapshot.canUndo && !readOnly}
            onUndo={() => void editor.undo()}
            onRetry={() => void editor.flush()}
          />
        </div>
      </header>
      {deleted && (
        <div className="banner banner--warning detail-deleted">
          <p role="status">
            This {KIND_LABEL[kind].one} was deleted by {who(record.deletedBy ?? record.updatedBy)} on {formatDate(record.deletedAt!)}. It is
            hidden from lists and search, and nothing in it is lost: restore it to edit it again.
          </p>
          {!record.mergedInto && (
            <button type="button" className="button" onClick={() => void editor.restore()}>
              Restore
            </button>
          )}
        </div>
      )}
      <MergeBanners record={record} />
      <FieldSummary kind={kind} issues={snapshot.issues} id="error-summary" heading="Some changes could not be saved" alert />
      <FieldSummary
        kind={kind}
        issues={problemIssues(record.problems)}
        id="problem-summary"
        heading={`Some fields of this ${KIND_LABEL[kind].one} hold values that could not be read`}
        intro="A change that came through sync left them there. Nothing is lost: each field shows what it holds until someone enters a valid value."
      />
      <div className="detail-body">
        <form className="detail-form" onSubmit={(e) => e.preventDefault()} aria-label={`${KIND_LABEL[kind].one} details`}>
          {/* A disabled fieldset makes every control inside read-only while the record is deleted or merged away. */}
          <fieldset disabled={readOnly} className="form-fieldset">
            {children(draft)}
          </fieldset>
          {/* After the record's own fields, so they come first in the Tab order. */}
          {!readOnly && (
            <div className="detail-delete">
              <button type="button" className="button button--danger" onClick={() => void editor.remove()}>
                Delete {KIND_LABEL[kind].one}
              </button>
              <p className="muted">Hides it from lists and search; it can be restored.</p>
            </div>
          )}
          {!record.mergedInto && recordActions}
        </form>
        <aside className="detail-aside" aria-label={connections || related ? 'Related records and history' : 'History'}>
          {connections && <ConnectionsPanel id={record.id} title={title} disabled={readOnly} />}
          {related}
          <HistoryPanel
            kind={kind}
            id={record.id}
            data={record.data as Record<string, unknown>}
            version={record.updatedAt}
            readOnly={readOnly}
            onRestore={(historyId, field) => editor.restoreFromHistory(historyId, field)}
          />
        </aside>
      </div>
    </div>
  );
}

/**
 * Messages about fields, each a button to the field: what could not be saved (an alert,
 * as it answers what the user just did), or values sync brought that could not be read.
 */
function FieldSummary({ kind, issues, id, heading, intro, alert = false }: { kind: RecordKind; issues: Issues; id: string; heading: string; intro?: string; alert?: boolean }) {
  const entries = Object.entries(issues);
  if (!entries.length) return null;
  return (
    <div className={`error-summary${alert ? '' : ' error-summary--warning'}`} role={alert ? 'alert' : 'region'} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      {intro && <p>{intro}</p>}
      <ul>
        {entries.map(([path, message]) => (
          <li key={path}>
            <button
              type="button"
              className="link-button"
              // Hash links would change the route; move focus to the field instead.
              onClick={() => (document.getElementById(fieldId(path)) ?? document.getElementById(fieldId(path.split('.')[0]!)))?.focus()}
            >
              {issueSentence(fieldLabel(kind, path), message)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
