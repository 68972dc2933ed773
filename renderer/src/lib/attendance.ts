// How many came to a session, in words: the named people and the head-count together,
// then how that total is made up.
import type { SessionSummary } from '../../../shared/rpc';

/** `14 came (6 named + 8 head-count)`, `3 came (all named)`, `No one recorded`. */
export function describeAttendance({ named, headCount }: Pick<SessionSummary, 'named' | 'headCount'>): string {
  const total = named + headCount;
  if (total === 0) return 'No one recorded';
  const parts = named && headCount ? `${named.toLocaleString('en-GB')} named + ${headCount.toLocaleString('en-GB')} head-count` : named ? 'all named' : 'head-count';
  return `${total.toLocaleString('en-GB')} came (${parts})`;
}
