// Export assets as GeoJSON, KML or CSV. Reads the data service a page at a time, so a
// large workspace shows progress and can be cancelled between pages; the file is then
// saved where the user chooses (in the desktop app, the system's save dialog), and the
// dialog says so only once it has been.
import { useId, useRef, useState } from 'react';
import { ASSET_CATEGORIES, type AssetCategory } from '../../../shared/domain';
import type { ExportAsset } from '../../../shared/rpc-network';
import { call, errorMessage } from '../app/connection';
import { useProfile } from '../app/profile';
import { Dialog } from '../components/Dialog';
import { SelectField, TextField } from '../components/fields';
import { formatCount, humanize, today } from '../../../shared/format';
import { EXPORT_FORMATS, FORMAT_INFO, toCSV, toGeoJSON, toKML, type ExportFormat } from './formats';
import './export.css';
import { DialogActions } from '../components/DialogActions';
import { saveFile } from '../lib/save-file';

const PAGE_SIZE = 500;

export interface ExportFilter {
  category?: AssetCategory | undefined;
  theme?: string | undefined;
}

type Progress =
  | { state: 'idle' }
  | { state: 'reading'; read: number; total: number | null }
  | { state: 'saving' }
  | { state: 'done'; message: string }
  | { state: 'failed'; message: string };

export function ExportDialog({ filter, onClose }: { filter: ExportFilter; onClose: () => void }) {
  const [format, setFormat] = useState<ExportFormat>('geojson');
  const [category, setCategory] = useState<AssetCategory | ''>(filter.category ?? '');
  const [theme, setTheme] = useState(filter.theme ?? '');
  const [progress, setProgress] = useState<Progress>({ state: 'idle' });
  const cancelled = useRef(false);
  const workspaceName = useProfile((p) => p.profile?.workspaceName) ?? 'Community Fieldbook';
  const formatName = useId();

  const run = async () => {
    cancelled.current = false;
    setProgress({ state: 'reading', read: 0, total: null });
    const rows: ExportAsset[] = [];
    try {
      for (let total = Infinity; rows.length < total; ) {
        const page = await call('export.assets', { category: category || undefined, theme: theme.trim() || undefined, offset: rows.length, limit: PAGE_SIZE });
        if (cancelled.current) {
          setProgress({ state: 'idle' });
          return;
        }
        rows.push(...page.rows);
        total = page.rows.length === 0 ? rows.length : page.total;
        setProgress({ state: 'reading', read: rows.length, total });
      }
    } catch (error) {
      setProgress({ state: 'failed', message: `The export stopped: ${errorMessage(error)}. Nothing was saved.` });
      return;
    }
    const info = FORMAT_INFO[format];
    const text = format === 'geojson' ? toGeoJSON(rows) : format === 'kml' ? toKML(rows, workspaceName) : toCSV(rows);
    const fileName = `assets-${today()}.${info.extension}`;
    const unplaced = info.placedOnly ? rows.filter((r) => !r.location).length : 0;
    const contents = formatCount(rows.length - unplaced, 'asset') + (unplaced > 0 ? `. ${formatCount(unplaced, 'asset')} not yet placed on the map ${unplaced === 1 ? 'is' : 'are'} only in CSV exports.` : '.');
    setProgress({ state: 'saving' });
    // A byte-order mark tells spreadsheet programs the CSV is UTF-8 (names with accents).
    const outcome = await saveFile({ suggestedName: fileName, formatName: info.label, mime: info.mime, content: format === 'csv' ? `\uFEFF${text}` : text });
    switch (outcome.state) {
      case 'saved':
        return setProgress({ state: 'done', message: `Saved ${outcome.path}: ${contents}` });
      case 'downloading':
        return setProgress({ state: 'done', message: `Your browser is saving ${outcome.name} to its downloads: ${contents}` });
      case 'cancelled':
        return setProgress({ state: 'done', message: 'Not saved: the save dialog was closed without choosing where. Export again to save it.' });
      case 'failed':
        return setProgress({ state: 'failed', message: `The export was not saved: ${outcome.message}` });
    }
  };

  const reading = progress.state === 'reading' || progress.state === 'saving';
  return (
    <Dialog title="Export assets" onClose={onClose} className="export-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
        noValidate
      >
        <fieldset className="export-formats" disabled={reading}>
          <legend id={formatName}>Format</legend>
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className="export-format">
              <input type="radio" name={formatName} value={f} checked={format === f} onChange={() => setFormat(f)} data-autofocus={f === format ? '' : undefined} />
              {FORMAT_INFO[f].label}
            </label>
          ))}
        </fieldset>
        <div className="export-filters">
          <SelectField
            label="Category"
            value={category}
            emptyLabel="Any category"
            options={ASSET_CATEGORIES.map((c) => ({ value: c, label: humanize(c) }))}
            onChange={setCategory}
            disabled={reading}
          />
          <TextField label="Theme" value={theme} onChange={setTheme} placeholder="Any theme" disabled={reading} />
        </div>
        <p className="muted">
          A contact person’s name, phone and email are included only where that person has given consent to sharing their details and
          has not withdrawn it.
        </p>
        {progress.state === 'reading' && (
          <div className="export-progress">
            <progress value={progress.read} max={progress.total ?? undefined} aria-label="Export progress" />
            <span role="status">{progress.total === null ? 'Reading assets…' : `Read ${progress.read.toLocaleString('en-GB')} of ${formatCount(progress.total, 'asset')}`}</span>
          </div>
        )}
        {progress.state === 'saving' && <p role="status">Choose where to save the file…</p>}
        {progress.state === 'done' && (
          <p className="banner" role="status">
            {progress.message}
          </p>
        )}
        <DialogActions
          error={progress.state === 'failed' ? progress.message : null}
          onCancel={reading ? () => (cancelled.current = true) : onClose}
          cancelLabel={reading ? 'Cancel export' : 'Close'}
          busy={reading}
          submitLabel="Export"
        />
      </form>
    </Dialog>
  );
}
