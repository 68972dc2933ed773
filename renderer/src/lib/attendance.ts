// How many came to a session, in words: the named people and the head-count together,
// then how that total is made up.
import type { SessionSummary } from '../../../shared/rpc';

/**
 * `14 came (6 named + 8 head-count)`, `3 came (all named)`, `No one recorded`; people whose
 * data may not be used for evaluation are left out of the figure and only their number said:
 * `3 came (all named) · 1 more not counted (no consent to evaluation)`.
 */
export function describeAttendance({ named, headCount, notCounted }: Pick<SessionSummary, 'named' | 'headCount' | 'notCounted'>): string {
  const total = named + headCount;
  const left = notCounted ? `${notCounted.toLocaleString('en-GB')} more not counted (no consent to evaluation)` : '';
  if (total === 0) return left ? `No one counted · ${left}` : 'No one recorded';
  const parts = named && headCount ? `${named.toLocaleString('en-GB')} named + ${headCount.toLocaleString('en-GB')} head-count` : named ? 'all named' : 'head-count';
  return `${total.toLocaleString('en-GB')} came (${parts})${left ? ` · ${left}` : ''}`;
}
