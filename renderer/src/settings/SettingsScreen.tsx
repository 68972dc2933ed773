// Settings, one section each: the workspace's privacy settings (for the whole team), then
// this device's backups.
import { BackupsSection } from '../backups/BackupsSection';
import { PageHeader } from '../components/PageHeader';
import { PrivacySettingsSection } from './PrivacySettingsSection';

export function SettingsScreen(_props: { param: string | null }) {
  return (
    <div className="settings-screen">
      <PageHeader title="Settings" summary="How this workspace works, for the whole team, and this device’s copy of it." />
      <PrivacySettingsSection />
      <BackupsSection />
    </div>
  );
}
