// Ctrl/Cmd+K: one box that finds any record by anything in it, results grouped by kind,
// arrow keys to move, Enter to open.
import { Fragment, useEffect, useId, useRef, useState } from 'react';
import type { RecordKind } from '../../../shared/domain';
import type { SearchHit } from '../../../shared/rpc';
import { call, errorMessage } from '../app/connection';
import { navigate, recordHref } from '../app/router';
import { Dialog } from '../components/Dialog';
import { KIND_LABEL, fieldLabel } from '../lib/labels';

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
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  const latest = useRef(0);

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
          setActive(0);
          setError(null);
        },
        (e) => request === latest.current && setError(errorMessage(e)),
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  // Grouped by kind; the order of the flat list is the order arrow keys move in.
  const groups = GROUP_ORDER.map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) }))
    .filter((g) => g.hits.length);
  const ordered = groups.flatMap((g) => g.hits);
  const optionId = (i: number) => `${listId}-${i}`;

  const open = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onClose();
    navigate(recordHref(hit.kind, hit.id));
  };

  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  let index = -1;
  return (
    <Dialog title="Search" onClose={onClose} className="palette" hideTitle>
      <div className="palette-search">
        <label htmlFor={`${listId}-input`} className="visually-hidden">
          Search contacts, assets, sessions and connections
        </label>
        <input
          id={`${listId}-input`}
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded={ordered.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={ordered.length ? optionId(active) : undefined}
          autoComplete="off"
          placeholder="Search people, places, sessions, themes, postcodes…"
          value={text}
          autoFocus
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && ordered.length) {
              e.preventDefault();
              setActive((a) => (a + 1) % ordered.length);
            } else if (e.key === 'ArrowUp' && ordered.length) {
              e.preventDefault();
              setActive((a) => (a - 1 + ordered.length) % ordered.length);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              open(ordered[active]);
            }
          }}
        />
      </div>
      <div className="palette-results">
        <div id={listId} role="listbox" aria-label="Search results" hidden={!ordered.length}>
          {groups.map((group) => (
            <div key={group.kind} role="group" aria-labelledby={`${listId}-${group.kind}`} className="palette-group">
              <div role="presentation" id={`${listId}-${group.kind}`} className="palette-group-label">
                {KIND_LABEL[group.kind].many.replace(/^./, (c) => c.toUpperCase())}
              </div>
              {group.hits.map((hit) => {
                index += 1;
                const i = index;
                return (
                  <div
                    key={hit.id}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === active}
                    className="palette-option"
                    onMouseMove={() => setActive(i)}
                    onClick={() => open(hit)}
                  >
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
