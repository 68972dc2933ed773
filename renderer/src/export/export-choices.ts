// What each screen's "Export…" offers: the files it can write and the query of the list it
// is on, so the file holds what the list shows.
import type { ListedKind } from '../../../shared/domain';
import { formatDate } from '../../../shared/format';
import { KIND_LABEL } from '../../../shared/labels';
import type { ExportFormat, ExportRequest, ExportSubject } from '../../../shared/rpc-export';
import type { ListConfig, ListFilter, ListSort } from '../lists/list-config';

export interface ExportChoice {
  subject: ExportSubject;
  format: ExportFormat;
  label: string;
  hint?: string;
}

/** The list's query as the data service reads it, and the same in words for the dialog. */
export type ExportSelection = ({ filter: ListFilter; sort: ListSort } | { status: NonNullable<Extract<ExportRequest, { subject: 'actions' }>['status']> }) & { description: string };

export const LIST_EXPORTS: Record<ListedKind, { title: string; choices: ExportChoice[] }> = {
  contact: {
    title: 'Export contacts',
    choices: [
      { subject: 'contacts', format: 'csv', label: 'Contacts as CSV', hint: 'Google Contacts’ columns: for Google Contacts, Outlook and spreadsheets.' },
      { subject: 'contacts', format: 'vcard', label: 'Contacts as vCard 3.0', hint: 'For phones, Gmail, Outlook, Apple Contacts, Thunderbird.' },
      { subject: 'capacity', format: 'csv', label: 'Capacity inventory as CSV', hint: 'Their skills: has, wants to learn, willing to share.' },
    ],
  },
  asset: {
    title: 'Export assets',
    choices: [
      { subject: 'assets', format: 'geojson', label: 'GeoJSON (QGIS, web maps)', hint: 'Assets not yet placed are features without a location.' },
      { subject: 'assets', format: 'kml', label: 'KML (Google Earth)', hint: 'A folder per category; assets not yet placed are in the folder “Not on the map”.' },
      { subject: 'assets', format: 'csv', label: 'CSV (spreadsheets)' },
    ],
  },
  session: { title: 'Export sessions', choices: [{ subject: 'sessions', format: 'csv', label: 'Sessions as CSV', hint: 'Date, venue, how many came, facilitators and priorities.' }] },
  connection: { title: 'Export connections', choices: [{ subject: 'connections', format: 'csv', label: 'Connections as CSV', hint: 'Both parties, the kind of connection, its note and dates.' }] },
};

export const ACTION_EXPORT: ExportChoice[] = [{ subject: 'actions', format: 'csv', label: 'Actions as CSV', hint: 'Each action with its owner, due date, status and session.' }];

/** A list screen's query for an export, with its filters in words. */
export function listSelection(config: ListConfig, filter: ListFilter, sort: ListSort): ExportSelection {
  const facet = (f: ListConfig['facets'][number]) => {
    const value = filter[f.key];
    return value ? `${f.label}: ${f.options.find((o) => o.value === value)?.label ?? value}` : null;
  };
  const parts = [
    filter.titlePrefix ? `${config.prefixLabel}: “${filter.titlePrefix}”` : null,
    ...config.facets.map(facet),
    filter.theme ? `${config.themes}: ${filter.theme}` : null,
    filter.from ? `${config.dateLabel} from ${formatDate(filter.from)}` : null,
    filter.to ? `${config.dateLabel} to ${formatDate(filter.to)}` : null,
  ].filter(Boolean);
  const which = `${filter.status === 'deleted' ? 'deleted ' : ''}${KIND_LABEL[config.kind].many}`;
  const description = parts.length > 0 ? `Only the ${which} the list shows with its filters: ${parts.join('; ')}.` : `All the ${which} the list shows (no filters).`;
  return { filter, sort, description };
}
