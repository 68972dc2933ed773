// The left sidebar: where you are, where you can go, and whether your work is synced.
import { useEffect, useState } from 'react';
import { Icon, type IconName } from '../components/Icon';
import { ChangePassphraseDialog } from '../lock/ChangePassphraseDialog';
import { SyncIndicator } from '../sync/SyncIndicator';
import { followConflictCount, useConflictCount } from '../team/conflict-count';
import '../team/team.css';
import { openPalette } from './palette';
import { useProfile } from './profile';
import { href, useRoute, type Section } from './router';

const NAV: { section: Section; label: string; icon: IconName }[] = [
  { section: 'assets', label: 'Assets', icon: 'asset' },
  { section: 'contacts', label: 'Contacts', icon: 'contact' },
  { section: 'sessions', label: 'Sessions', icon: 'session' },
  { section: 'connections', label: 'Connections', icon: 'connection' },
  { section: 'actions', label: 'Actions', icon: 'action' },
  { section: 'map', label: 'Map', icon: 'map' },
  { section: 'network', label: 'Network', icon: 'network' },
];

/** The team lead's tools: tidying what the team's devices brought together. */
const TEAM_NAV: { section: Section; label: string; icon: IconName }[] = [
  { section: 'duplicates', label: 'Duplicates', icon: 'duplicates' },
  { section: 'review', label: 'Review changes', icon: 'review' },
  { section: 'conflicts', label: 'Conflicts', icon: 'inbox' },
  { section: 'privacy', label: 'Privacy', icon: 'shield' },
];

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

export function Sidebar() {
  const section = useRoute((r) => r.section);
  const profile = useProfile((s) => s.profile);
  const isLead = profile?.role === 'lead';
  const openConflicts = useConflictCount((s) => s.open);
  const [changingPassphrase, setChangingPassphrase] = useState(false);
  useEffect(() => (isLead ? followConflictCount() : undefined), [isLead]);
  return (
    <header className="sidebar">
      <div className="brand">
        <span className="brand-name">Community Fieldbook</span>
        <span className="brand-workspace">{profile?.workspaceName}</span>
      </div>
      <nav aria-label="Main">
        <ul className="nav">
          {NAV.map((item) => (
            <li key={item.section}>
              <a className="nav-link" href={href(item.section)} aria-current={item.section === section ? 'page' : undefined}>
                <Icon name={item.icon} />
                {item.label}
              </a>
            </li>
          ))}
          <li>
            <button type="button" className="nav-link" onClick={openPalette} aria-keyshortcuts="Control+K Meta+K">
              <Icon name="search" />
              Search
              <kbd className="nav-kbd">{isMac ? '⌘K' : 'Ctrl K'}</kbd>
            </button>
          </li>
          <li>
            <a className="nav-link" href={href('settings')} aria-current={section === 'settings' ? 'page' : undefined}>
              <Icon name="settings" />
              Settings
            </a>
          </li>
        </ul>
        {isLead && (
          <>
            <h2 id="team-nav-heading" className="nav-group-heading">
              Team lead
            </h2>
            <ul className="nav" aria-labelledby="team-nav-heading">
              {TEAM_NAV.map((item) => {
                const count = item.section === 'conflicts' && openConflicts ? openConflicts : 0;
                return (
                  <li key={item.section}>
                    <a className="nav-link" href={href(item.section)} aria-current={item.section === section ? 'page' : undefined}>
                      <Icon name={item.icon} />
                      {item.label}
                      {count > 0 && (
                        <span className="nav-badge">
                          {count}
                          <span className="visually-hidden"> open</span>
                        </span>
                      )}
                    </a>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </nav>
      <div className="sidebar-footer">
        <SyncIndicator />
        {profile?.author && <p className="signed-in">Working as {profile.author.name}</p>}
        <button type="button" className="link-button link-button--plain" onClick={() => setChangingPassphrase(true)}>
          {profile?.hasPassphrase ? 'Change passphrase' : 'Set a passphrase'}
        </button>
        {changingPassphrase && <ChangePassphraseDialog onClose={() => setChangingPassphrase(false)} />}
      </div>
    </header>
  );
}
