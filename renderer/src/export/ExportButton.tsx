// "Export…" on a list screen (and the network view): opens the export dialog with the list's
// own query, so the file holds what the list shows.
import { useState } from 'react';
import { ExportDialog } from './ExportDialog';
import type { ExportChoice, ExportSelection } from './export-choices';

interface Props {
  title: string;
  choices: readonly ExportChoice[];
  selection: ExportSelection;
  label?: string;
}

export function ExportButton({ label = 'Export…', ...dialog }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && <ExportDialog {...dialog} onClose={() => setOpen(false)} />}
    </>
  );
}
