// Records holding a value sync brought that could not be read (RecordMeta.problems), listed
// where the lead reviews the team's changes: each record stays listed and shows what it
// holds, and this is where the lead finds them all to open and fix with an ordinary edit.
import { useEffect, useState } from 'react';
import { LISTED_KINDS } from '../../../shared/domain';
import type { UnreadableRecords } from '../../../shared/rpc-team';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { recordHref } from '../app/router';
import { formatCount } from '../../../shared/format';
import { KIND_LABEL, fieldLabel } from '../../../shared/labels';
import { changesRecords } from '../lib/record-events';

/** Records listed at most; the count says how many more there are. */
const SHOWN = 100;
/** Changes come in bursts during a sync: read again once it has settled. */
const RELOAD_DELAY_MS = 600;

export function UnreadableValues() {
  const [found, setFound] = useState<UnreadableRecords | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const load = () =>
      call('review.unreadable', { limit: SHOWN }).then(
        (answer) => {
          if (!current) return;
          setFound(answer);
          setError(null);
        },
        (e) => current && setError(errorMessage(e)),
      );
    void load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A fix is an ordinary edit, here or on another device.
    const off = onServiceEvent((event) => {
      if (!changesRecords(event, LISTED_KINDS)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void load(), RELOAD_DELAY_MS);
    });
    return () => {
      current = false;
      off();
      clearTimeout(timer);
    };
  }, []);

  if (error) {
    return (
      <p className="banner banner--error" role="alert">
        The records with values that could not be read could not be listed: {error}
      </p>
    );
  }
  if (!found || found.total === 0) return null;
  return (
    <section className="error-summary error-summary--warning unreadable-values" aria-labelledby="unreadable-heading">
      <h2 id="unreadable-heading">Needs attention: {formatCount(found.total, 'record')} with values that could not be read</h2>
      <p>
        A change that came through sync left values these records’ fields cannot hold. Each record stays listed and shows what it holds; open it and enter a
        valid value to fix it.
      </p>
      <ul>
        {found.records.map((r) => (
          <li key={r.id}>
            <a href={recordHref(r.kind, r.id)}>{r.title || '(untitled)'}</a> ({KIND_LABEL[r.kind].one}):{' '}
            {r.problems.map((p) => `${fieldLabel(r.kind, p.field)} holds ${p.holds}`).join('; ')}
          </li>
        ))}
      </ul>
      {found.total > found.records.length && <p>{formatCount(found.total - found.records.length, 'more record')} not shown.</p>}
    </section>
  );
}
