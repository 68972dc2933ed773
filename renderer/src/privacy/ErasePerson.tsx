// "Erase this person…" on a contact's page, for team leads only (the data service and the
// sync server refuse anyone else too).
import { useState } from 'react';
import { useProfile } from '../app/profile';
import { EraseDialog } from './EraseDialog';

export function ErasePerson({ id }: { id: string }) {
  const isLead = useProfile((s) => s.profile?.role === 'lead');
  const [open, setOpen] = useState(false);
  if (!isLead) return null;
  return (
    <div className="detail-delete">
      <button type="button" className="button button--danger" onClick={() => setOpen(true)}>
        Erase this person…
      </button>
      <p className="muted">Removes them for good, from every device and the sync server (UK GDPR right to erasure).</p>
      {open && <EraseDialog id={id} onClose={() => setOpen(false)} />}
    </div>
  );
}
