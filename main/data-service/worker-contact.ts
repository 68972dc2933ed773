// The worker on this device as a staff contact, so they can own an action or facilitate a
// session without inventing a contact for themselves ("Me" in the pickers). The contact's
// id is the author id of this device's profile: created at most once, the first time "Me"
// is chosen, and synced like any contact so a lead sees who owns what. A worker's second
// device has its own author id, so its "Me" is a second contact with the same name, which
// the duplicate finder pairs; once a lead merges them, both devices' "Me" is the survivor.
import type { WorkerContact } from '../../shared/rpc';
import { RpcError } from '../../shared/rpc';
import type { Workspace } from './workspace';

/** The worker's contact as it stands now; null once it has been deleted (a lead's decision "Me" does not undo). */
export function workerContact(ws: Workspace): WorkerContact | null {
  const { author } = ws;
  if (!ws.docKind(author.id)) return { id: author.id, name: author.name, stored: false };
  const contact = ws.get('contact', ws.resolveId(author.id));
  return contact.deletedAt ? null : { id: contact.id, name: contact.data.name, stored: true };
}

/** Store the worker's staff contact unless this device already has; returns it. */
export function createWorkerContact(ws: Workspace): WorkerContact {
  const me = workerContact(ws);
  if (!me) {
    throw new RpcError('conflict', 'your own contact was deleted: restore it (Contacts, Show deleted) to choose yourself again');
  }
  if (me.stored) return me;
  ws.create('contact', { name: ws.author.name, roles: ['staff'] }, { id: ws.author.id });
  return { ...me, stored: true };
}
