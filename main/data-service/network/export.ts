// Assets as they leave the workspace for an export file. The contact person's name, phone
// and email go with an asset only where that person has an active consent to sharing.
import type { Consent } from '../../../shared/domain';
import { RpcError } from '../../../shared/rpc';
import { AssetExportQuery, type ExportAsset } from '../../../shared/rpc-network';
import type { Workspace } from '../workspace';

/** A consent's purpose that speaks of sharing details ("Share my details with partner organisations"). */
const SHARING_PURPOSE = /\bshar(e|ed|ing)\b/i;

/**
 * Whether a person's consents allow their details to be shared outside the workspace:
 * at least one consent whose purpose is sharing, given on or before `today`, and not
 * withdrawn. Consent to be contacted or to be kept on the map is not consent to sharing.
 */
export function allowsSharing(consents: readonly Consent[], today: string): boolean {
  return consents.some((c) => c.withdrawnAt === null && c.givenAt <= today && SHARING_PURPOSE.test(c.purpose));
}

export function exportAssets(ws: Workspace, queryInput: AssetExportQuery, today = new Date().toISOString().slice(0, 10)): { rows: ExportAsset[]; total: number } {
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
  if (contact.deletedAt || !allowsSharing(contact.data.consents, today)) return null;
  return { name: contact.data.name, phone: contact.data.phone, email: contact.data.email };
}
