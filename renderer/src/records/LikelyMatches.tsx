// At entry: while a new contact or asset is filled in, the existing records it may
// duplicate, with the reasons, so the user can open one instead of making a second.
import { useEffect, useState } from 'react';
import type { DraftQuery, DuplicateKind, LikelyMatch } from '../../../shared/rpc';
import { call } from '../app/connection';
import { recordHref } from '../app/router';
import './likely-matches.css';

/** Typing pauses this long before the draft is compared with the workspace. */
const DEBOUNCE_MS = 250;

/** Whether the draft says enough to be compared: one typed character matches half the workspace. */
function worthAsking(draft: DraftQuery): boolean {
  const typed = (value: string | undefined, least: number) => (value?.trim().length ?? 0) >= least;
  const { name, postcode, address } = draft.data;
  const contactOnly = draft.kind === 'contact' && (typed(draft.data.phone, 5) || typed(draft.data.email, 3));
  return typed(name, 2) || typed(postcode, 3) || typed(address, 3) || contactOnly;
}

export interface LikelyMatchesState {
  matches: LikelyMatch[];
  /** A newer draft than the one `matches` answer is waiting to be compared. */
  checking: boolean;
}

/** The likely matches of `draft`, asked for once typing pauses; the newest answer wins. */
export function useLikelyMatches(draft: DraftQuery | null): LikelyMatchesState {
  const [answered, setAnswered] = useState<{ key: string | null; matches: LikelyMatch[] }>({ key: null, matches: [] });
  const key = draft && worthAsking(draft) ? JSON.stringify(draft) : null;
  useEffect(() => {
    if (!key) return;
    let current = true;
    const timer = setTimeout(() => {
      call('duplicates.forDraft', JSON.parse(key) as DraftQuery)
        // A warning that cannot be worked out is no reason to stop anyone creating the record.
        .catch((): LikelyMatch[] => [])
        .then((matches) => {
          if (current) setAnswered({ key, matches });
        });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);
  // The last answer stays up while the next is worked out, so the warning does not flicker as one types.
  return key ? { matches: answered.matches, checking: answered.key !== key } : { matches: [], checking: false };
}

/**
 * The warning, in a polite live region that is always present (a region added together
 * with its text is not announced). It sits below the form's buttons, so appearing never
 * moves them.
 */
export function LikelyMatches({ kind, state, onOpen }: { kind: DuplicateKind; state: LikelyMatchesState; onOpen: (href: string) => void }) {
  const { matches, checking } = state;
  return (
    <div className="likely-matches" aria-live="polite" aria-busy={checking}>
      {matches.length > 0 && (
        <section className="banner banner--warning likely-matches-panel" aria-label="Possible duplicates">
          <p className="likely-matches-lead">This may already be in your workspace:</p>
          <ul className="likely-matches-list">
            {matches.map((match) => (
              <li key={match.record.id} className="likely-match">
                <p className="likely-match-text">
                  <strong>{match.record.title}</strong>
                  {match.reasons.length > 0 && ` — ${match.reasons.join(', ')}`}
                  {match.record.subtitle && <span className="likely-match-subtitle">{match.record.subtitle}</span>}
                </p>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`Open it: ${match.record.title}`}
                  onClick={() => onOpen(recordHref(kind, match.record.id))}
                >
                  Open it
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
