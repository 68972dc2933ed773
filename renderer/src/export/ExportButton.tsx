// "Export…" on the Assets list and the network and map views: opens the export dialog
// with the filters the screen has.
import { useState } from 'react';
import { ExportDialog, type ExportFilter } from './ExportDialog';

export function ExportButton({ filter = {}, label = 'Export…' }: { filter?: ExportFilter; label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && <ExportDialog filter={filter} onClose={() => setOpen(false)} />}
    </>
  );
}
