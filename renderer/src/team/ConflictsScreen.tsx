// The conflict inbox: what sync settled without anyone choosing — two devices set one
// field at the same time, or a worker edited a record already merged away. The lead sees
// every value with its author and time, and keeps the current one or uses another — or,
// for free text such as notes, keeps both texts, each under its author and time.
import { useEffect, useState } from 'react';
import { FIELD_STORAGE, isFreeText } from '../../../shared/domain';
import { splitKey } from '../../../shared/field-items';
import type { ConflictEntry, ConflictValue } from '../../../shared/rpc-team';
import { call, errorMessage, onServiceEvent } from '../app/connection';
import { useProfile } from '../app/profile';
import { recordHref } from '../app/router';
import { EmptyState } from '../components/EmptyState';
import { CONTACT_REFS, describeValue, setMember } from '../../../shared/describe-change';
import { formatDateTime, formatList, formatMoment } from '../../../shared/format';
import { fieldLabel } from '../../../shared/labels';
import { useTitles } from '../lib/titles';
import { RouteTabs } from '../components/RouteTabs';
import { PageHeader } from '../components/PageHeader';
import './team.css';

const TABS = [
  { id: 'open', label: 'Open' },
  { id: 'resolved', label: 'Resolved' },
] as const;
type Tab = (typeof TABS)[number]['id'];
/** Conflicts read at a time; "Show more" reads the next page. */
const PAGE = 200;

/** A conflict over one member of a set (`themes.food`), whose values say whether it is in the set. */
function memberOf(entry: ConflictEntry): { field: string; member: string } | null {
  const { field, item } = splitKey(entry.field);
  return item !== null && (FIELD_STORAGE[entry.record.kind] as Record<string, string>)[field] === 'set' ? { field, member: item } : null;
}

export function ConflictsScreen({ param }: { param: string | null }) {
  const tab: Tab = TABS.find((t) => t.id === param)?.id ?? 'open';
  const [entries, setEntries] = useState<ConflictEntry[] | null>(null);
  const [openCount, setOpenCount] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const me = useProfile((s) => s.profile?.author?.id);
  const who = (author: { id: string; name: string }) => (author.id === me ? 'you' : author.name);

  // How many entries the lead has asked to see: a reload after a change reads that many again.
  const [wanted, setWanted] = useState(PAGE);
  const [more, setMore] = useState(false);

  useEffect(() => {
    let current = true;
    const load = async () => {
      try {
        const loaded: ConflictEntry[] = [];
        let next: string | undefined;
        let page;
        do {
          page = await call('conflicts.list', { status: tab, limit: PAGE, ...(next ? { after: next } : {}) });
          loaded.push(...page.entries);
          next = page.next ?? undefined;
        } while (next && loaded.length < wanted);
        if (!current) return;
        setEntries(loaded);
        setMore(next !== undefined);
        setOpenCount(page.open);
        setError(null);
      } catch (e) {
        if (current) setError(errorMessage(e));
      }
    };
    void load();
    const off = onServiceEvent((event) => {
      if (event.name === 'conflicts.changed') void load();
    });
    return () => {
      current = false;
      off();
    };
  }, [tab, wanted]);

  useEffect(() => {
    setEntries(null);
    setWanted(PAGE);
  }, [tab]);

  const resolve = async (entry: ConflictEntry, choice: 'keep' | 'both' | number, what: string) => {
    setError(null);
    try {
      await call('conflicts.resolve', { id: entry.id, choice });
      setEntries((list) => list?.filter((e) => e.id !== entry.id) ?? null);
      setAnnouncement(`${what}. The conflict is resolved.`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const contactIds = (entries ?? []).flatMap((e) => {
    const member = memberOf(e);
    if (member) return CONTACT_REFS.has(member.field) ? [member.member] : [];
    if (!CONTACT_REFS.has(e.field)) return [];
    return [e.current, ...e.others].flatMap((v) => [v.value].flat()).filter((v): v is string => typeof v === 'string');
  });
  const names = useTitles('contact', contactIds);
  const show = (entry: ConflictEntry, v: ConflictValue) => {
    const member = memberOf(entry);
    if (!member) return describeValue(entry.field, v.value, names);
    return `${v.value === true ? 'in' : 'not in'} ${fieldLabel(entry.record.kind, member.field)}`;
  };
  // Free text is shown whole: the lead reads both texts before choosing.
  const showWhole = (entry: ConflictEntry, v: ConflictValue) =>
    isFreeText(entry.record.kind, entry.field) && typeof v.value === 'string' && v.value !== '' ? v.value : show(entry, v);
  const byWho = (v: ConflictValue) => (
    <span className="conflict-by">
      {v.unsynced ? 'You, not yet synced' : who(v.author).replace(/^./, (c) => c.toUpperCase())}, <time dateTime={v.at} title={formatDateTime(v.at)}>{formatMoment(v.at)}</time>
    </span>
  );

  return (
    <div className="team-screen">
      <PageHeader title="Conflicts" summary="Changes sync settled without anyone choosing. Nothing is lost until you have seen it." />
      <RouteTabs
        section="conflicts"
        label="Which conflicts"
        tabs={TABS.map((t) => ({ ...t, count: t.id === 'open' ? openCount : undefined }))}
        current={tab}
        panelId="conflicts-panel"
      />
      <div role="tabpanel" id="conflicts-panel" aria-labelledby={`tab-${tab}`} className="tab-panel">
        <p className="visually-hidden" role="status">
          {announcement}
        </p>
        {error && (
          <p className="banner banner--error" role="alert">
            {entries ? 'That did not work' : 'The conflicts could not be loaded'}: {error}
          </p>
        )}
        {!entries && !error && <p className="loading">Loading…</p>}
        {entries?.length === 0 &&
          (tab === 'open' ? (
            <EmptyState title="No open conflicts">When two people change the same thing at the same time, it appears here for you to choose.</EmptyState>
          ) : (
            <EmptyState title="No resolved conflicts yet">Conflicts you have resolved are listed here with what was chosen.</EmptyState>
          ))}
        {entries && entries.length > 0 && (
          <ul className="conflict-list">
            {entries.map((entry) => {
              // One property of a collection item: "Purpose of “Newsletter” in Consents"; one member of a set: "“food” in Themes".
              const member = memberOf(entry);
              const label = entry.item
                ? `${fieldLabel(entry.record.kind, entry.item.property)} of “${entry.item.name}” in ${fieldLabel(entry.record.kind, entry.item.field)}`
                : member
                  ? `${setMember(member.field, member.member, names)} in ${fieldLabel(entry.record.kind, member.field)}`
                  : fieldLabel(entry.record.kind, entry.field);
              const afterMerge = entry.type === 'edited-after-merge';
              const survivor = entry.survivor;
              const bothPossible = isFreeText(entry.record.kind, entry.field);
              const authors = [entry.current, ...entry.others].map((v) => who(v.author));
              return (
                <li key={entry.id} className="conflict">
                  <article aria-labelledby={`conflict-${entry.id}`}>
                    <h2 id={`conflict-${entry.id}`} className="conflict-title">
                      {label} of <a href={recordHref(entry.record.kind, entry.record.id)}>{entry.record.title || '(untitled)'}</a>
                    </h2>
                    <p className="conflict-explain">
                      {afterMerge
                        ? `${entry.others.map((o) => who(o.author)).join(' and ').replace(/^./, (c) => c.toUpperCase())} edited ${entry.record.title} after it was merged into ${survivor?.title ?? 'another record'}.`
                        : `Two people changed this at the same time; the app kept ${who(entry.current.author) === 'you' ? 'your' : `${entry.current.author.name}’s`} value.`}
                    </p>
                    <dl className="conflict-values">
                      <div className="conflict-value conflict-value--current">
                        <dt>{afterMerge ? `${survivor?.title ?? 'The survivor'} ${tab === 'open' ? 'has now' : 'had'}` : tab === 'open' ? 'Current value' : 'Value sync kept'}</dt>
                        <dd>
                          <span className="conflict-value-text">{showWhole(entry, entry.current)}</span>
                          {byWho(entry.current)}
                        </dd>
                      </div>
                      {entry.others.map((other, index) => (
                        <div key={`${other.hlc}-${index}`} className="conflict-value">
                          <dt>{afterMerge ? `Edit to ${entry.record.title}` : 'Other value'}</dt>
                          <dd>
                            <span className="conflict-value-text">{showWhole(entry, other)}</span>
                            {byWho(other)}
                            {tab === 'open' && (
                              <button
                                type="button"
                                className="button button--small"
                                aria-label={`${afterMerge ? `Copy to ${survivor?.title ?? 'the survivor'}` : 'Use this value'}: ${label} ${show(entry, other)} from ${other.author.name}`}
                                onClick={() =>
                                  void resolve(entry, index, afterMerge ? `Copied to ${survivor?.title}` : `${label} set to ${show(entry, other)}`)
                                }
                              >
                                {afterMerge ? `Copy to ${survivor?.title ?? 'the survivor'}` : 'Use this value'}
                              </button>
                            )}
                          </dd>
                        </div>
                      ))}
                    </dl>
                    {tab === 'open' ? (
                      <div className="conflict-actions">
                        <button
                          type="button"
                          className="button button--small button--primary"
                          aria-label={`Keep current: ${label} ${show(entry, entry.current)}`}
                          onClick={() => void resolve(entry, 'keep', `Kept ${show(entry, entry.current)}`)}
                        >
                          Keep current
                        </button>
                        {bothPossible && (
                          <button
                            type="button"
                            className="button button--small"
                            aria-label={`Keep both: ${label} from ${formatList(authors)}, joined`}
                            aria-describedby={`conflict-both-${entry.id}`}
                            onClick={() => void resolve(entry, 'both', `Kept both texts of ${label}, each with its author and time`)}
                          >
                            Keep both
                          </button>
                        )}
                        {bothPossible && (
                          <p id={`conflict-both-${entry.id}`} className="conflict-hint">
                            Keep both joins the texts into one{afterMerge ? ` on ${survivor?.title ?? 'the survivor'}` : ''}, each under a line saying who wrote it and
                            when.
                          </p>
                        )}
                      </div>
                    ) : (
                      entry.resolvedAt && (
                        <p className="conflict-resolution">
                          Resolved by {entry.resolvedBy ? who(entry.resolvedBy) : 'someone'} on {formatDateTime(entry.resolvedAt)}: {entry.resolution ?? 'no change recorded'}.
                        </p>
                      )
                    )}
                  </article>
                </li>
              );
            })}
          </ul>
        )}
        {entries && more && (
          <button type="button" className="button" onClick={() => setWanted(entries.length + PAGE)}>
            Show more conflicts ({entries.length} shown{tab === 'open' && openCount ? ` of ${openCount}` : ''})
          </button>
        )}
      </div>
    </div>
  );
}
