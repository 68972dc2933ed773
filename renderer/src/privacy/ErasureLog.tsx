// The erasure log, on the Privacy screen for leads: one line per erasure known to this
// device — when, by which lead, how many records — and nothing about who was erased.
import { useEffect, useState } from 'react';
import type { ErasureLogEntry } from '../../../shared/rpc-erasure';
import { call, errorMessage } from '../app/connection';
import { useProfile } from '../app/profile';
import { PageHeader } from '../components/PageHeader';
import { formatCount, formatDateTime } from '../lib/format';

export function ErasureLog() {
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
    <div className="team-screen">
      <PageHeader title="Privacy: erasure log" summary={summary} live />
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
