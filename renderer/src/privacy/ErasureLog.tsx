// The erasure log, on the Privacy screen for leads: one line per erasure known to this
// device — when, by which lead, how many records — and nothing about who was erased.
import { useEffect, useId, useState } from 'react';
import type { ErasureLogEntry } from '../../../shared/rpc-erasure';
import { call, errorMessage } from '../app/connection';
import { useProfile } from '../app/profile';
import { formatCount, formatDateTime } from '../../../shared/format';

/** The log as a section of its own, for the Privacy screen. */
export function ErasureLog() {
  const headingId = useId();
  const isLead = useProfile((s) => s.profile?.role === 'lead');
  const [entries, setEntries] = useState<ErasureLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!isLead) return;
    let current = true;
    call('erasure.log', {}).then(
      (loaded) => current && setEntries(loaded),
      (e) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [isLead]);

  const summary = !isLead
    ? 'Only team leads see the erasure log.'
    : entries === null
      ? 'Loading…'
      : `${formatCount(entries.length, 'erasure')}. Each line says when, by whom and how many records — never whom.`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Erasures</h2>
      <p className="muted" aria-live="polite">
        {summary}
      </p>
      {error && (
        <p className="banner banner--error" role="alert">
          The erasure log could not be read: {error}
        </p>
      )}
      {entries && entries.length > 0 && (
        <table className="erasure-log">
          <caption className="visually-hidden">Erasures, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">By</th>
              <th scope="col">Records erased</th>
              <th scope="col">Erasure id</th>
              <th scope="col">Sync server</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.erasureId}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.by.name}</td>
                <td>{e.records.toLocaleString('en-GB')}</td>
                <td>
                  <code>{e.erasureId}</code>
                </td>
                <td>{e.sent ? 'Has it' : 'Not yet: sent when this device next syncs'}</td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
