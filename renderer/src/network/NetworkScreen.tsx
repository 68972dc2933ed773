// The connection network: who and what is connected to whom, drawn as a force layout, with
// the focus record's neighbours ring by ring and the people who bridge groups
// ("connectors") named in an accessible panel beside the drawing.
import { Suspense, lazy, useEffect, useId, useMemo, useState } from 'react';
import { CONNECTION_KINDS, type ConnectionKind } from '../../../shared/domain';
import { NODE_CATEGORIES, type NetworkGraph, type NodeCategory } from '../../../shared/rpc-network';
import { call, errorMessage } from '../app/connection';
import { href, navigate } from '../app/router';
import { SelectField } from '../components/fields';
import { RecordCombobox } from '../components/RecordPicker';
import { ExportButton } from '../export/ExportButton';
import { LIST_EXPORTS, type ExportSelection } from '../export/export-choices';
import { formatCount } from '../../../shared/format';
import { NetworkPanel } from './NetworkPanel';
import {
  ASSET_NODE_CATEGORIES,
  DOT_COLOUR,
  CONTACT_CATEGORIES,
  categoryLabel,
  connectionKindLabel,
} from './network-model';
import { PageHeader } from '../components/PageHeader';
import './network.css';

// sigma and graphology load with the view, not with the app.
const NetworkCanvas = lazy(() => import('./NetworkCanvas').then((m) => ({ default: m.NetworkCanvas })));

const DEPTHS = [
  { value: '1', label: 'Direct connections' },
  { value: '2', label: 'Up to 2 steps' },
  { value: '3', label: 'Up to 3 steps' },
] as const;

/** A filter's chosen values, or undefined when all are chosen (no filter). */
/** The network's assets export holds every asset: the network has no asset filters of its own. */
const EVERY_ASSET: ExportSelection = { filter: { status: 'active' }, sort: { field: 'title', direction: 'asc' }, description: 'Every asset in the workspace.' };

const chosen = <T,>(values: ReadonlySet<T>, all: readonly T[]) => (values.size === all.length ? undefined : [...values]);

export function NetworkScreen({ param }: { param: string | null }) {
  const focusId = param;
  const [depth, setDepth] = useState<'1' | '2' | '3'>('1');
  const [categories, setCategories] = useState<ReadonlySet<NodeCategory>>(new Set(NODE_CATEGORIES));
  const [kinds, setKinds] = useState<ReadonlySet<ConnectionKind>>(new Set(CONNECTION_KINDS));
  const [graph, setGraph] = useState<NetworkGraph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const focusInput = useId();

  useEffect(() => {
    let current = true;
    setError(null);
    call('network.graph', {
      focusId: focusId ?? undefined,
      depth: Number(depth),
      categories: chosen(categories, NODE_CATEGORIES),
      connectionKinds: chosen(kinds, CONNECTION_KINDS),
    }).then(
      (result) => current && setGraph(result),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [focusId, depth, categories, kinds]);

  const focus = (id: string) => navigate(href('network', id));
  const summary = useMemo(() => {
    if (!graph) return 'Loading…';
    const shown = formatCount(graph.ids.length, 'record');
    return graph.matched > graph.ids.length ? `${shown} of ${graph.matched.toLocaleString('en-GB')} (the best connected)` : shown;
  }, [graph]);

  return (
    <section className="network-screen" aria-labelledby="page-heading">
      <PageHeader title="Network" summary={graph ? `${summary}, ${formatCount(graph.sources.length, 'link')}` : summary} live>
        <div className="field">
          <label htmlFor={focusInput}>Focus on</label>
          <RecordCombobox id={focusInput} kinds={['contact', 'asset']} onPick={(record) => focus(record.id)} placeholder="Find a contact or asset" />
        </div>
        <SelectField label="Show" value={depth} options={DEPTHS} onChange={setDepth} disabled={!focusId} className="field--inline" />
        {focusId && (
          <a className="button" href={href('network')}>
            Whole network
          </a>
        )}
        <ExportButton label="Export assets…" {...LIST_EXPORTS.asset} selection={EVERY_ASSET} />
      </PageHeader>
      <details className="network-filters">
        <summary>Filters</summary>
        <div className="network-filter-groups">
          <CheckboxGroup
            legend="People and organisations"
            options={CONTACT_CATEGORIES}
            chosen={categories}
            onChange={setCategories}
            label={categoryLabel}
            swatch={(c) => DOT_COLOUR[c]}
          />
          <CheckboxGroup
            legend="Assets"
            options={ASSET_NODE_CATEGORIES}
            chosen={categories}
            onChange={setCategories}
            label={categoryLabel}
            swatch={(c) => DOT_COLOUR[c]}
          />
          <CheckboxGroup legend="Connections" options={CONNECTION_KINDS} chosen={kinds} onChange={setKinds} label={connectionKindLabel} />
        </div>
      </details>
      {error && (
        <p className="banner banner--error" role="alert">
          The network could not be loaded: {error}
        </p>
      )}
      {graph && (
        <div className="network-body">
          {graph.ids.length > 0 ? (
            <Suspense fallback={<p className="network-empty">Loading the drawing…</p>}>
              <NetworkCanvas graph={graph} onFocus={focus} />
            </Suspense>
          ) : (
            <p className="network-empty">No connections match these filters. Record connections on a contact or asset, or widen the filters.</p>
          )}
          <NetworkPanel graph={graph} onFocus={focus} />
        </div>
      )}
    </section>
  );
}

interface CheckboxGroupProps<T extends string> {
  legend: string;
  options: readonly T[];
  chosen: ReadonlySet<T>;
  onChange: (next: ReadonlySet<T>) => void;
  label: (value: T) => string;
  swatch?: (value: T) => string;
}

function CheckboxGroup<T extends string>({ legend, options, chosen: values, onChange, label, swatch }: CheckboxGroupProps<T>) {
  const toggle = (value: T, on: boolean) => {
    const next = new Set(values);
    if (on) next.add(value);
    else next.delete(value);
    onChange(next);
  };
  return (
    <fieldset className="network-filter">
      <legend>{legend}</legend>
      {options.map((value) => (
        <label key={value} className="network-check">
          <input type="checkbox" checked={values.has(value)} onChange={(e) => toggle(value, e.target.checked)} />
          {swatch && <span className="network-swatch" style={{ background: swatch(value) }} aria-hidden="true" />}
          {label(value)}
        </label>
      ))}
    </fieldset>
  );
}
