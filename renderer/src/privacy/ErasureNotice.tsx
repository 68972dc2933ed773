// What an erasure did, in words, shown once above the screen the lead lands on; the
// actions it left without an owner link to their sessions, to give them a new one.
import { recordHref } from '../app/router';
import { formatCount } from '../../../shared/format';
import { clearErasureNotice, useErasureNotice } from './erasure-notice';
import './privacy.css';

export function ErasureNotice() {
  const erasure = useErasureNotice((s) => s.erasure);
  if (!erasure) return null;
  const done = [
    formatCount(erasure.records, 'record') + ' erased',
    erasure.mergedIn > 0 && `including ${formatCount(erasure.mergedIn, 'record')} merged into theirs`,
    erasure.connections > 0 && `and ${formatCount(erasure.connections, 'connection')}`,
  ].filter(Boolean);
  return (
    <section className="banner erasure-notice" role="status" aria-labelledby="erasure-notice-heading">
      <h2 id="erasure-notice-heading">{erasure.name} was erased</h2>
      <p>
        {done.join(', ')}.
        {erasure.sessions > 0 && ` ${formatCount(erasure.sessions, 'session')} ${erasure.sessions === 1 ? 'counts' : 'count'} them in the head-count now.`}
        {erasure.assets > 0 && ` ${formatCount(erasure.assets, 'asset')} no longer ${erasure.assets === 1 ? 'names' : 'name'} a contact person.`} The team’s devices and the sync
        server drop them as they sync.
      </p>
      {erasure.actions.length > 0 && (
        <>
          <p>These actions have no owner now; give each a new one:</p>
          <ul>
            {erasure.actions.map((a, i) => (
              <li key={i}>
                “{a.text}” in <a href={recordHref(a.session.kind, a.session.id)}>{a.session.title}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="button button--small" onClick={clearErasureNotice}>
        Dismiss
      </button>
    </section>
  );
}
