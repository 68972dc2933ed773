// The team's devices, for a lead in the sync dialog: every device that joined the workspace
// on the sync server — who uses it, when it last synced, how many changes it has not yet
// received — and "Withdraw access", after which its token stops working at once. Only the
// server knows the devices, so the list is asked for when the lead opens it.
import { useId, useRef, useState } from 'react';
import type { TeamDevice } from '../../../shared/rpc-devices';
import { formatCount, formatDateTime, humanize } from '../../../shared/format';
import { call, errorMessage } from '../app/connection';

const nameOf = (d: TeamDevice) => (d.thisDevice ? 'This device' : `${d.userName || 'Unnamed'}’s device`);

function lastSeen(d: TeamDevice): string {
  if (d.connected) return 'Syncing now';
  return d.lastSeenAt ? formatDateTime(new Date(d.lastSeenAt).toISOString()) : 'Never';
}

export function TeamDevices() {
  const headingId = useId();
  const [devices, setDevices] = useState<TeamDevice[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<TeamDevice | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const tableRef = useRef<HTMLTableElement>(null);

  const ask = async (request: () => Promise<TeamDevice[]>, after: (list: TeamDevice[]) => void) => {
    setBusy(true);
    setError(null);
    try {
      const list = await request();
      setDevices(list);
      after(list);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const load = () => ask(() => call('devices.list', {}), (list) => setAnnouncement(`${formatCount(list.length, 'device')} listed`));

  const withdraw = (device: TeamDevice) =>
    ask(
      () => call('devices.revoke', { id: device.id }),
      () => {
        setConfirming(null);
        setAnnouncement(`${nameOf(device)} can no longer sync.`);
        requestAnimationFrame(() => tableRef.current?.focus());
      },
    );

  return (
    <section className="team-devices" aria-labelledby={headingId}>
      <h3 id={headingId}>Team devices</h3>
      <p className="muted">
        Every device that joined this workspace with an invite code. Withdraw a lost or stolen device’s access: it can no longer send or
        receive anything, at once. What it recorded and has not sent stays on it.
      </p>
      {/* Not role=status: the dialog's headline is its one status; this only reads out what the lead just did here. */}
      <p aria-live="polite" className="visually-hidden" data-testid="team-devices-announcement">
        {announcement}
      </p>
      {devices === null ? (
        <button type="button" className="button" onClick={() => void load()} disabled={busy}>
          {busy ? 'Asking the server…' : 'Show team devices'}
        </button>
      ) : (
        <table className="data-table team-devices-table" ref={tableRef} tabIndex={-1}>
          <caption className="visually-hidden">{formatCount(devices.length, 'device')} in this workspace</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Role</th>
              <th scope="col">Last synced</th>
              <th scope="col">Not yet received</th>
              <th scope="col">
                <span className="visually-hidden">Access</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <th scope="row">{nameOf(d)}</th>
                <td>{humanize(d.role)}</td>
                <td>{lastSeen(d)}</td>
                <td>{d.revoked ? '—' : d.behind === 0 ? 'Up to date' : formatCount(d.behind, 'change')}</td>
                <td>
                  {d.revoked ? (
                    <span className="muted">Access withdrawn</span>
                  ) : d.thisDevice ? null : confirming?.id === d.id ? (
                    <span className="team-devices-confirm" role="group" aria-label={`Withdraw access for ${nameOf(d)}?`}>
                      <button type="button" className="button" onClick={() => setConfirming(null)} autoFocus>
                        Keep access
                      </button>
                      <button type="button" className="button button--danger" onClick={() => void withdraw(d)} disabled={busy}>
                        Withdraw
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button" aria-label={`Withdraw access for ${nameOf(d)}`} onClick={() => setConfirming(d)} disabled={busy}>
                      Withdraw access…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
