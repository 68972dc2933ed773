// The workspace's privacy settings as one record (shared/kinds/policy.ts), read by everyone
// and saved by leads; and the people it holds with no lawful ground, for the lead's list.
import { POLICY_ID, type PolicyData } from '../../../shared/domain';
import { lacksLawfulGround } from '../../../shared/privacy/consent-rules';
import type { PersonRef, PrivacySettings } from '../../../shared/rpc';
import { activePeople } from '../read/people';
import type { Workspace } from '../workspace';

export function privacySettings(ws: Workspace): PrivacySettings {
  const stored = ws.records.stored(POLICY_ID);
  return { policy: ws.records.policy(), saved: stored ? { by: stored.updatedBy, at: stored.updatedAt } : null };
}

/** Saves the settings as ordinary writes of the one settings record, created by the first save. */
export function savePrivacySettings(ws: Workspace, policy: PolicyData): PrivacySettings {
  if (ws.records.stored(POLICY_ID)) ws.update('policy', POLICY_ID, policy);
  else ws.create('policy', policy, { id: POLICY_ID });
  return privacySettings(ws);
}

export function peopleWithoutGround(ws: Workspace, today: string): PersonRef[] {
  const policy = ws.records.policy();
  return activePeople(ws.db)
    .filter((p) => lacksLawfulGround(p.data, policy, today))
    .map(({ id, name }) => ({ id, name }));
}
