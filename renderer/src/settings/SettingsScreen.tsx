// Settings of this device's workspace, one section each.
import { BackupsSection } from '../backups/BackupsSection';
import { PageHeader } from '../components/PageHeader';

export function SettingsScreen() {
  return (
    <div className="settings-screen">
      <PageHeader title="Settings" summary="This device’s copy of the workspace." />
      <BackupsSection />
    </div>
  );
}
