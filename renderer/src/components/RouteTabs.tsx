// Tabs of a view whose choice lives in the route (`#/conflicts/resolved`, `#/actions/done`),
// so back/forward and links keep it; arrow keys, Home and End move between them.
import { useRef, type KeyboardEvent } from 'react';
import { href, navigate, type ViewSection } from '../app/router';

export interface TabSpec<T extends string> {
  id: T;
  label: string;
  count?: number;
}

interface Props<T extends string> {
  section: ViewSection;
  label: string;
  tabs: readonly TabSpec<T>[];
  current: T;
  panelId: string;
  /** Called with the tab chosen, before the route changes to it. */
  onSelect?: (id: T) => void;
}

export function RouteTabs<T extends string>({ section, label, tabs, current, panelId, onSelect }: Props<T>) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const select = (id: T) => {
    onSelect?.(id);
    navigate(href(section, id));
  };
  const onKey = (e: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === current);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = tabs[(moves[e.key]! + tabs.length) % tabs.length]!.id;
    select(next);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs" onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === current}
          aria-controls={panelId}
          tabIndex={t.id === current ? 0 : -1}
          className="tab"
          onClick={() => select(t.id)}
        >
          {t.label}
          {t.count !== undefined && <span className="tab-count">{t.count}</span>}
        </button>
      ))}
    </div>
  );
}
