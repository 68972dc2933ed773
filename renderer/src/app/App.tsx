// The app: connecting, first run, then the sidebar and the screen the route names.
import { useEffect } from 'react';
import type { ListedKind } from '../../../shared/domain';
import { ActionsScreen } from '../actions/ActionsScreen';
import { DamagedWorkspace } from '../backups/DamagedWorkspace';
import { MapScreen } from '../map/MapScreen';
import { NetworkScreen } from '../network/NetworkScreen';
import { PrivacyScreen } from '../privacy/PrivacyScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { ErasureNotice } from '../privacy/ErasureNotice';
import { ConflictsScreen } from '../team/ConflictsScreen';
import { DuplicatesScreen } from '../team/DuplicatesScreen';
import { ReviewScreen } from '../team/ReviewScreen';
import { followTitleChanges } from '../lib/titles';
import { ListScreen } from '../lists/ListScreen';
import { AssetDetail } from '../records/AssetDetail';
import { ConnectionDetail } from '../records/ConnectionDetail';
import { ContactDetail } from '../records/ContactDetail';
import { SessionDetail } from '../records/SessionDetail';
import { SearchPalette } from '../search/SearchPalette';
import { useConnection } from './connection';
import { ProtectWorkspace } from '../lock/ProtectWorkspace';
import { Unlock } from '../lock/Unlock';
import { FirstRun } from './FirstRun';
import { closePalette, openPalette, usePalette } from './palette';
import { followRoleChanges, loadProfile, useProfile } from './profile';
import { isViewSection, useRoute, type RecordSection, type ViewSection } from './router';
import { Sidebar } from './Sidebar';

const DETAIL: Record<RecordSection, { kind: ListedKind; page: (props: { id: string }) => React.ReactNode }> = {
  assets: { kind: 'asset', page: AssetDetail },
  contacts: { kind: 'contact', page: ContactDetail },
  sessions: { kind: 'session', page: SessionDetail },
  connections: { kind: 'connection', page: ConnectionDetail },
};

/** Views of their own, given the route's tab or focus (`param`). */
const VIEWS: Record<ViewSection, (props: { param: string | null }) => React.ReactNode> = {
  actions: ({ param }) => <ActionsScreen tab={param} />,
  map: MapScreen,
  network: NetworkScreen,
  duplicates: DuplicatesScreen,
  review: ReviewScreen,
  conflicts: ConflictsScreen,
  settings: SettingsScreen,
  privacy: PrivacyScreen,
};

export function App() {
  const status = useConnection((s) => s.status);
  const connectionError = useConnection((s) => s.error);
  const { profile, damage, error } = useProfile();

  useEffect(() => {
    if (status !== 'ready') return;
    void loadProfile();
    const offTitles = followTitleChanges();
    const offRoles = followRoleChanges();
    return () => {
      offTitles();
      offRoles();
    };
  }, [status]);

  if (status === 'failed' || (error && !profile)) {
    return (
      <main className="splash">
        <h1>Community Fieldbook could not start</h1>
        <p className="banner banner--error" role="alert">
          The data service did not answer: {connectionError ?? error}. Your records are safe on this device; close the app and open it
          again.
        </p>
      </main>
    );
  }
  if (!profile) {
    return (
      <main className="splash">
        <p role="status">Opening your workspace…</p>
      </main>
    );
  }
  switch (profile.state) {
    case 'needs-setup':
      return <FirstRun />;
    case 'needs-encryption':
      return <ProtectWorkspace />;
    case 'locked':
      return <Unlock />;
    case 'unavailable':
      return (
        <main className="splash">
          <h1>Your workspace cannot be opened</h1>
          <p className="banner banner--error" role="alert">
            {profile.problem}
          </p>
          <p>Nothing has been changed or deleted. Once the file is back in place, close Community Fieldbook and open it again.</p>
        </main>
      );
    case 'open':
      // A damaged workspace file was set aside on unlocking: restore a backup or recover it.
      return damage ? <DamagedWorkspace damage={damage} /> : <Shell />;
  }
}

function Shell() {
  const route = useRoute();
  const paletteOpen = usePalette((s) => s.open);
  const lost = useConnection((s) => s.status === 'lost');

  useEffect(() => {
    // Ctrl/Cmd+K opens search from anywhere, even from inside a text field.
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        openPalette();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);

  // Another screen, not another tab or focus of a view (focus stays where it is there).
  const screenKey = isViewSection(route.section) ? route.section : `${route.section}/${route.id}`;
  useEffect(() => {
    // After moving to another screen, put focus on its heading, as a page load would.
    const frame = requestAnimationFrame(() => document.getElementById('page-heading')?.focus({ preventScroll: true }));
    return () => cancelAnimationFrame(frame);
  }, [screenKey]);

  let screen: React.ReactNode;
  if (isViewSection(route.section)) {
    const View = VIEWS[route.section];
    screen = <View param={route.id} />;
  } else if (route.id) {
    const Detail = DETAIL[route.section].page;
    // Keyed by id: another record is a fresh editor, and leaving saves the last one.
    screen = <Detail key={route.id} id={route.id} />;
  } else screen = <ListScreen key={route.section} kind={DETAIL[route.section].kind} />;

  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => document.getElementById('page-heading')?.focus()}>
        Skip to content
      </button>
      <Sidebar />
      <main className="main">
        {lost && (
          <div className="banner banner--error banner--sticky" role="alert">
            <span>
              <strong>The connection to the data service was lost.</strong> Changes made since cannot be saved. Reload to reconnect — everything
              saved before is safe on this device.
            </span>
            <button type="button" className="button button--small" onClick={() => window.location.reload()}>
              Reload
            </button>
          </div>
        )}
        <ErasureNotice />
        {screen}
      </main>
      {paletteOpen && <SearchPalette onClose={closePalette} />}
    </div>
  );
}
