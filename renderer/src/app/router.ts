// Hash routes (#/contacts/<id>): they work the same from file:// in Electron and over
// HTTP in the harness, and the browser's back/forward buttons just work.
import { create } from 'zustand';
import type { RecordKind } from '../../../shared/domain';

export const SECTIONS = ['assets', 'contacts', 'sessions', 'connections', 'actions'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Route {
  section: Section;
  /** A record id, or the tab of the actions view. */
  id: string | null;
}

export const SECTION_OF: Record<RecordKind, Section> = {
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
