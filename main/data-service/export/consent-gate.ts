// Whose details may leave the app in an export. Every export asks `personMayLeave`, the one
// place the consent rule for exports is applied, so a change of rule is a change here.
import type { PolicyData, RecordOf } from '../../../shared/domain';
import { lacksLawfulGround, mayUse } from '../../../shared/privacy/consent-rules';
import { RpcError } from '../../../shared/rpc';
import type { ExportUse } from '../../../shared/rpc-export';
import type { Workspace } from '../workspace';

type Contact = RecordOf<'contact'>;

/**
 * May this contact's details go into a file made for `use`? An organisation is not a person
 * and gives no consent: its details always may. A person's may be shared with partners only
 * where a consent or lawful basis in force today allows sharing (the workspace's privacy
 * settings say which do, shared/privacy/consent-rules.ts); a copy the organisation keeps
 * for itself needs some lawful ground today (someone who withdrew every consent and has no
 * other basis is not copied out).
 */
export function personMayLeave(contact: Contact, use: ExportUse, policy: PolicyData, today: string): boolean {
  if (contact.data.type === 'organisation') return true;
  if (use === 'share') return mayUse(contact.data, 'share', policy, today);
  return !lacksLawfulGround({ ...contact.data, type: contact.data.type }, policy, today);
}

/** One export's decisions about people: whose details go into the file, and who was kept out. */
export class PeopleGate {
  /** Ids of people whose details the file leaves out for want of consent. */
  readonly leftOut = new Set<string>();
  private readonly policy: PolicyData;

  constructor(
    private readonly ws: Workspace,
    private readonly use: ExportUse,
    private readonly today: string,
  ) {
    this.policy = ws.records.policy();
  }

  /** Whether a contact the export lists may go into the file; those who may not are counted. */
  admits(contact: Contact): boolean {
    if (personMayLeave(contact, this.use, this.policy, this.today)) return true;
    this.leftOut.add(contact.id);
    return false;
  }

  /** The contact a record names (through merges) if their details may go out; null if not, or deleted, or not here yet (not synced). */
  named(id: string): Contact | null {
    let contact: Contact;
    try {
      contact = this.ws.get('contact', this.ws.resolveId(id));
    } catch (error) {
      if (error instanceof RpcError && error.code === 'not_found') return null;
      throw error;
    }
    return !contact.deletedAt && this.admits(contact) ? contact : null;
  }
}
