// Assets as they leave the workspace for an export file, which may be shared with partners.
// The contact person's name, phone and email go with an asset only where the consent rules
// (shared/privacy/consent-rules.ts) allow that person's details to be shared today.
import { mayUse } from '../../../shared/privacy/consent-rules';
import { RpcError } from '../../../shared/rpc';
import { AssetExportQuery, type ExportAsset } from '../../../shared/rpc-network';
import { localToday } from '../today';
import type { Workspace } from '../workspace';

export function exportAssets(ws: Workspace, queryInput: AssetExportQuery, today = localToday()): { rows: ExportAsset[]; total: number } {
  const q = AssetExportQuery.parse(queryInput);
  // The Assets list's own query, so an export holds exactly what the filtered list shows.
  const page = ws.list({
    kind: 'asset',
    offset: q.offset,
    limit: q.limit,
    sort: { field: 'title', direction: 'asc' },
    filter: { status: 'active', category: q.category, theme: q.theme },
  });
  const rows = page.rows.map((row): ExportAsset => {
    const { data } = ws.get('asset', row.id);
    return {
      id: row.id,
      name: data.name,
      category: data.category,
      themes: data.themes,
      tags: data.tags,
      address: data.address,
      postcode: data.postcode,
      location: data.location,
      contactPerson: data.contactPersonId ? sharedContact(ws, data.contactPersonId, today) : null,
    };
  });
  return { rows, total: page.total };
}

function sharedContact(ws: Workspace, id: string, today: string): ExportAsset['contactPerson'] {
  let contact;
  try {
    contact = ws.get('contact', ws.resolveId(id));
  } catch (error) {
    // A contact a peer has not synced yet: nothing to share.
    if (error instanceof RpcError && error.code === 'not_found') return null;
    throw error;
  }
  if (contact.deletedAt || !mayUse(contact.data, 'share', ws.records.policy(), today)) return null;
  return { name: contact.data.name, phone: contact.data.phone, email: contact.data.email };
}
