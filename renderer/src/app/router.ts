// Hash routes (#/contacts/<id>): they work the same from file:// in Electron and over
// HTTP in the harness, and the browser's back/forward buttons just work.
import { create } from 'zustand';
import type { RecordKind } from '../../../shared/domain';

/** Sections listing one kind of record; `#/<section>/<id>` opens one. */
export const RECORD_SECTIONS = ['assets', 'contacts', 'sessions', 'connections'] as const;
/** Sections that are a view of their own; `#/<section>/<param>` passes them a tab or focus. */
export const VIEW_SECTIONS = ['actions', 'map', 'network', 'duplicates', 'review', 'conflicts', 'privacy'] as const;
export const SECTIONS = [...RECORD_SECTIONS, ...VIEW_SECTIONS] as const;
export type RecordSection = (typeof RECORD_SECTIONS)[number];
export type ViewSection = (typeof VIEW_SECTIONS)[number];
export type Section = (typeof SECTIONS)[number];

export const isViewSection = (section: Section): section is ViewSection => (VIEW_SECTIONS as readonly string[]).includes(section);

export interface Route {
  section: Section;
  /** A record id, or a view's tab or focus. */
  id: string | null;
}

export const SECTION_OF: Record<RecordKind, RecordSection> = {
  asset: 'assets',
  contact: 'contacts',
  connection: 'connections',
  session: 'sessions',
};

function parse(hash: string): Route {
  const [section, id] = hash.replace(/^#\/?/, '').split('/');
  const known = SECTIONS.find((s) => s === section);
  return { section: known ?? 'assets', id: known && id ? decodeURIComponent(id) : null };
}

export const useRoute = create<Route>(() => parse(window.location.hash));
window.addEventListener('hashchange', () => useRoute.setState(parse(window.location.hash), true));

export function href(section: Section, id?: string | null): string {
  return `#/${section}${id ? `/${encodeURIComponent(id)}` : ''}`;
}

export function recordHref(kind: RecordKind, id: string): string {
  return href(SECTION_OF[kind], id);
}

export function navigate(to: string): void {
  window.location.hash = to;
}
