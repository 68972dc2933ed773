// The subject access export log, for team leads: each export's id, when and by whom. It
// never says whom an export was about (the data service does not keep that); the id is
// printed in the export itself, so the organisation's request file links the two.
import { useEffect, useId, useState } from 'react';
import type { SubjectAccessLogEntry } from '../../../shared/rpc-privacy';
import { call, errorMessage } from '../app/connection';
import { PageHeader } from '../components/PageHeader';
import { formatCount, formatDateTime } from '../../../shared/format';

/** The log as a section of its own, for the Privacy screen. */
export function SubjectAccessLog() {
  const headingId = useId();
  const [entries, setEntries] = useState<SubjectAccessLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('privacy.subjectAccessLog', {}).then(setEntries, (e) => setError(errorMessage(e)));
  }, []);
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Subject access exports</h2>
      <p className="muted">
        Every “Everything we hold about this person” export made on this device: when, by whom, and its id, which the export’s documents
        also show. The log never records whom an export was about.
      </p>
      {error && <p className="banner banner--error" role="alert">The log could not be read: {error}</p>}
      {entries && entries.length === 0 && <p>No exports have been made on this device.</p>}
      {entries && entries.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{formatCount(entries.length, 'export')}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">By</th>
              <th scope="col">Export id</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.exportId}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.by.name}</td>
                <td>
                  <code>{e.exportId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
