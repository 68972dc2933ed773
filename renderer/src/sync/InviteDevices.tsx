// Inviting colleagues, for a lead in the sync dialog: the sync server makes an invite code
// for one device or a training room of them, of the role chosen, for some days. The code is
// shown once (the server keeps only its hash) with the server address to pass on with it.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { TeamInvitation } from '../../../shared/rpc-devices';
import { formatCount, formatDateTime } from '../../../shared/format';
import { MAX_INVITE_DAYS, MAX_INVITE_USES, type SyncRole } from '../../../shared/sync-protocol';
import { call } from '../app/connection';
import { NumberField, RadioGroup } from '../components/fields';
import { copyCode, SELECTED_TO_COPY } from '../lib/copy-code';
import { useFormState } from '../lib/form-state';

type InvitedRole = Extract<SyncRole, 'worker' | 'viewer' | 'lead'>;

const ROLES: readonly { value: InvitedRole; label: string; hint: string }[] = [
  { value: 'worker', label: 'Worker', hint: 'Records and changes contacts, assets and sessions.' },
  { value: 'viewer', label: 'Viewer', hint: 'Reads the team’s records and changes nothing.' },
  { value: 'lead', label: 'Team lead', hint: 'Also merges duplicates, reviews changes, settles conflicts and erases people.' },
];

const roleName = (role: SyncRole) => ROLES.find((r) => r.value === role)?.label.toLowerCase() ?? role;

export function InviteDevices() {
  const headingId = useId();
  const [role, setRole] = useState<InvitedRole>('worker');
  const [uses, setUses] = useState<number | null>(1);
  const [days, setDays] = useState<number | null>(7);
  const [invitation, setInvitation] = useState<TeamInvitation | null>(null);
  const [said, setSaid] = useState('');
  const { busy, error, issues, submit } = useFormState();
  const codeRef = useRef<HTMLElement>(null);

  const make = (e: FormEvent) => {
    e.preventDefault();
    // An empty number is sent as 0, for the data service to say what is wrong with it.
    void submit(async () => {
      setInvitation(await call('devices.invite', { role, uses: uses ?? 0, days: days ?? 0 }));
      setSaid('');
      requestAnimationFrame(() => codeRef.current?.focus());
    });
  };

  const copy = async () => {
    if (!invitation) return;
    setSaid((await copyCode(invitation.code, codeRef.current)) ? 'Copied.' : SELECTED_TO_COPY);
  };

  return (
    <section className="invite-devices" aria-labelledby={headingId}>
      <h3 id={headingId}>Invite colleagues</h3>
      {invitation ? (
        <>
          <p className="recovery-code">
            <span className="visually-hidden">Invite code: </span>
            <code ref={codeRef} tabIndex={-1}>
              {invitation.code}
            </code>
          </p>
          <p>
            For {formatCount(invitation.uses, 'device')} joining as {roleName(invitation.role)}, until {formatDateTime(new Date(invitation.expiresAt).toISOString())}.
            Each colleague chooses <strong>Not connected</strong> at the foot of the menu and enters the server address{' '}
            <strong>{invitation.serverUrl}</strong>
            {invitation.checkCode && (
              <>
                , its check code <strong>{invitation.checkCode}</strong>
              </>
            )}{' '}
            and this invite code. It is shown only now: the server keeps only a fingerprint of it.
          </p>
          <div className="recovery-code-actions">
            <button type="button" className="button" onClick={() => void copy()}>
              Copy code
            </button>
            <button type="button" className="button" onClick={() => setInvitation(null)}>
              Make another
            </button>
          </div>
          <p role="status" className="field-hint">
            {said}
          </p>
        </>
      ) : (
        <form className="invite-devices-form" onSubmit={make} noValidate>
          <RadioGroup path="role" name="invite-role" legend="They join as" options={ROLES} value={role} onChange={setRole} error={issues.role} />
          <div className="invite-devices-numbers">
            <NumberField
              path="uses"
              label="Devices it may join"
              hint={`1 for one colleague; up to ${MAX_INVITE_USES} for a training room.`}
              value={uses}
              onChange={setUses}
              min={1}
              step={1}
              error={issues.uses}
            />
            <NumberField path="days" label="Days it works for" hint={`At most ${MAX_INVITE_DAYS}.`} value={days} onChange={setDays} min={1} step={1} error={issues.days} />
          </div>
          {error && (
            <p className="banner banner--error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Asking the server…' : 'Make invite code'}
          </button>
        </form>
      )}
    </section>
  );
}
