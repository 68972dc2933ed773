// Ctrl/Cmd+K: one box that finds any record by anything in it, results grouped by kind,
// arrow keys to move, Enter to open.
import { Fragment, useEffect, useRef, useState } from 'react';
import type { RecordKind } from '../../../shared/domain';
import type { SearchHit } from '../../../shared/rpc';
import { call, errorMessage } from '../app/connection';
import { navigate, recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { useListbox } from '../components/listbox';
import { KIND_LABEL, fieldLabel } from '../../../shared/labels';

const SEARCH_DELAY_MS = 100;
/** The best few of each kind, so one kind with many matches cannot hide the others. */
const RESULTS_PER_KIND = 6;
const GROUP_ORDER: RecordKind[] = ['contact', 'asset', 'session', 'connection'];

/** A snippet with matches marked [[like this]], as React nodes. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/\[\[|\]\]/);
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}

export function SearchPalette({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [searched, setSearched] = useState('');
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  // Grouped by kind; the order of the flat list is the order arrow keys move in.
  const groups = GROUP_ORDER.map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) })).filter((g) => g.hits.length);
  const ordered = groups.flatMap((g) => g.hits);
  const open = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onClose();
    navigate(recordHref(hit.kind, hit.id));
  };
  const listbox = useListbox({ count: ordered.length, expanded: ordered.length > 0, onPick: (i) => open(ordered[i]) });

  useEffect(() => {
    const request = ++latest.current;
    if (!text.trim()) {
      setHits([]);
      setSearched('');
      return;
    }
    const timer = setTimeout(() => {
      Promise.all(GROUP_ORDER.map((kind) => call('search.global', { text, kinds: [kind], limit: RESULTS_PER_KIND }))).then(
        (found) => {
          if (request !== latest.current) return;
          setHits(found.flat());
          setSearched(text);
          listbox.setActive(0);
          setError(null);
        },
        (e) => request === latest.current && setError(errorMessage(e)),
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  let index = -1;
  return (
    <Dialog title="Search" onClose={onClose} className="palette" hideTitle>
      <div className="palette-search">
        <label htmlFor={listbox.idFor('input')} className="visually-hidden">
          Search contacts, assets, sessions and connections
        </label>
        <input
          {...listbox.combobox}
          id={listbox.idFor('input')}
          className="palette-input"
          type="text"
          placeholder="Search people, places, sessions, themes, postcodes…"
          value={text}
          autoFocus
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div className="palette-results">
        <div {...listbox.listbox} aria-label="Search results">
          {groups.map((group) => (
            <div key={group.kind} role="group" aria-labelledby={listbox.idFor(group.kind)} className="palette-group">
              <div role="presentation" id={listbox.idFor(group.kind)} className="palette-group-label">
                {KIND_LABEL[group.kind].many.replace(/^./, (c) => c.toUpperCase())}
              </div>
              {group.hits.map((hit) => {
                const i = ++index;
                return (
                  <div key={hit.id} {...listbox.option(i)} className="palette-option">
                    <span className="palette-option-title">{hit.title || '(untitled)'}</span>
                    {hit.snippet && (
                      <span className="palette-option-snippet">
                        {fieldLabel(hit.kind, hit.snippet.field)}: <Snippet text={hit.snippet.text} />
                      </span>
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        <p className="palette-message" role="status">
          {error
            ? `Search failed: ${error}`
            : !text.trim()
              ? 'Type a name, a place, a theme, a postcode or something said in a session.'
              : searched === text && !ordered.length
                ? `Nothing found for “${text.trim()}”.`
                : searched === text
                  ? `${ordered.length} result${ordered.length === 1 ? '' : 's'}`
                  : ''}
        </p>
      </div>
      <p className="palette-keys" aria-hidden="true">
        <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
      </p>
    </Dialog>
  );
}
