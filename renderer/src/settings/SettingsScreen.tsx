// Settings of the workspace, one section each; the privacy settings first.
import { PageHeader } from '../components/PageHeader';
import { PrivacySettingsSection } from './PrivacySettingsSection';

export function SettingsScreen(_props: { param: string | null }) {
  return (
    <div className="screen settings">
      <PageHeader title="Settings" summary="How this workspace works, for the whole team." />
      <PrivacySettingsSection />
    </div>
  );
}
