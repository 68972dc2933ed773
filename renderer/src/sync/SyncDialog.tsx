// The sync dialog: connect this device to the team's sync server with an invite code, see
// what sync is doing, sync now, stop a long sync, or disconnect.
import { useRef, useState, type FormEvent } from 'react';
import { fromZodError, RpcError } from '../../../shared/rpc';
import { SyncConnectParams, unencryptedOverNetwork, type SyncStatus } from '../../../shared/sync-status';
import { call, errorMessage } from '../app/connection';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/fields';
import { formatCount, formatDateTime, humanize } from '../../../shared/format';
import { useFormState } from '../lib/form-state';
import { issuesOf } from '../lib/issues';
import { describeSync, problemSentence } from './describe';
import { RefusedChanges } from './RefusedChanges';
import { SyncProgress } from './SyncProgress';
import { InviteDevices } from './InviteDevices';
import { TeamDevices } from './TeamDevices';
import { showStatus } from './sync-store';
import { DialogActions } from '../components/DialogActions';

interface Props {
  status: SyncStatus;
  onClose: () => void;
}

export function SyncDialog({ status, onClose }: Props) {
  const headline = useRef<HTMLParagraphElement>(null);
  const disconnectButton = useRef<HTMLButtonElement>(null);
  const { busy, error, submit } = useFormState({ explain: errorMessage });
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);
  const summary = describeSync(status);
  const configured = status.state !== 'not_configured';
  // Refused by the server as a device (its token), not one record's change: only a new invite helps.
  const refused = status.state === 'error' && !status.retryAt && status.refused.length === 0;

  /** The control that was used is gone afterwards (the form, a button): focus moves to the status. */
  const focusStatus = () => requestAnimationFrame(() => headline.current?.focus());

  const run = (method: 'sync.now' | 'sync.cancel' | 'sync.disconnect') =>
    submit(async () => {
      showStatus(await call(method, {}));
      setConfirmingDisconnect(false);
      focusStatus();
    });

  return (
    <Dialog title="Sync" onClose={onClose} className="sync-dialog">
      <div className="dialog-body">
        <div className={`sync-summary sync-status--${summary.tone}`}>
          <span className="sync-dot" aria-hidden="true" />
          <div>
            {/* Polite: the outcome of what was just done here (connect, sync now, stop) is read out. */}
            <p role="status" className="sync-headline" ref={headline} tabIndex={-1}>
              {summary.headline}
            </p>
            <p className="muted sync-detail">{summary.detail}</p>
          </div>
        </div>
        {status.progress && <SyncProgress progress={status.progress} />}
        {status.refused.length > 0 && (
          <RefusedChanges
            refused={status.refused}
            onDiscarded={(next) => {
              showStatus(next);
              focusStatus();
            }}
          />
        )}

        {status.state === 'error' && status.error && (
          <div className={`banner ${refused ? 'banner--error' : 'banner--warning'}`}>
            <p>{problemSentence(status.error)}</p>
            <p>
              {refused
                ? 'Nothing is lost: your records stay on this device.'
                : status.refused.length > 0
                  ? 'Everything else has synced; the refused changes above wait for you to discard them.'
                  : 'Your changes are kept on this device and sent once the server can be reached. It tries again on its own; Sync now tries at once.'}
            </p>
          </div>
        )}

        {configured && (
          <dl className="sync-facts">
            <dt>Server</dt>
            <dd>{status.serverUrl}</dd>
            <dt>Connection</dt>
            <dd>{connectionWords(status)}</dd>
            {status.role && (
              <>
                <dt>Joined as</dt>
                <dd>{humanize(status.role)}</dd>
              </>
            )}
            {status.state !== 'synced' && (
              <>
                <dt>Last synced</dt>
                <dd>{status.lastSyncAt ? formatDateTime(status.lastSyncAt) : 'Not yet'}</dd>
              </>
            )}
          </dl>
        )}

        {/* The server answers a lead's device's connection only: not while offline or paused. */}
        {status.role === 'lead' && (status.state === 'synced' || status.state === 'syncing') && (
          <>
            <InviteDevices />
            <TeamDevices />
          </>
        )}

        {error && (
          <p className="banner banner--error" role="alert">
            {error}
          </p>
        )}

        {!configured || refused ? (
          <ConnectForm
            initialUrl={status.serverUrl ?? ''}
            heading={configured ? 'Connect with a new invite code' : null}
            onConnected={(next) => {
              showStatus(next);
              focusStatus();
            }}
            onCancel={onClose}
          />
        ) : confirmingDisconnect ? (
          <div className="sync-confirm" role="group" aria-labelledby="sync-disconnect-question">
            <p id="sync-disconnect-question">
              Disconnect this device from {status.serverUrl}? Everything you recorded stays on this device
              {status.pending > 0 ? `, including changes to ${formatCount(status.pending, 'record')} not sent yet` : ''}. To sync again you will need a new
              invite code.
            </p>
            <div className="dialog-actions">
              <button
                type="button"
                className="button"
                onClick={() => {
                  setConfirmingDisconnect(false);
                  requestAnimationFrame(() => disconnectButton.current?.focus());
                }}
                autoFocus
              >
                Stay connected
              </button>
              <button type="button" className="button button--danger" onClick={() => void run('sync.disconnect')} disabled={busy}>
                Disconnect
              </button>
            </div>
          </div>
        ) : (
          <div className="dialog-actions sync-actions">
            <button type="button" className="button button--danger" onClick={() => setConfirmingDisconnect(true)} ref={disconnectButton}>
              Disconnect…
            </button>
            {status.state === 'syncing' || status.state === 'connecting' ? (
              <button type="button" className="button" onClick={() => void run('sync.cancel')} disabled={busy}>
                Stop syncing
              </button>
            ) : (
              <span className="sync-actions-main">
                {/* No more attempts until Sync now: on a metered link, or to save the battery. */}
                {status.state !== 'paused' && (
                  <button type="button" className="button" onClick={() => void run('sync.cancel')} disabled={busy}>
                    Pause sync
                  </button>
                )}
                <button type="button" className="button button--primary" onClick={() => void run('sync.now')} disabled={busy}>
                  Sync now
                </button>
              </span>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}

interface ConnectProps {
  initialUrl: string;
  /** Null for a device that is not connected: then the form explains what sync is. */
  heading: string | null;
  onConnected: (status: SyncStatus) => void;
  onCancel: () => void;
}

/** How what is synced travels to the server, in words; a plain http:// address across a network says what to do. */
function connectionWords({ serverUrl, checkCode }: SyncStatus): string {
  if (checkCode) return `Encrypted, to the server whose check code is ${checkCode}`;
  if (serverUrl && unencryptedOverNetwork(serverUrl)) {
    return 'Not encrypted: anyone on the network can read what is synced. Ask your team lead for the https:// address and check code, then connect again.';
  }
  return serverUrl?.startsWith('https:') ? 'Encrypted' : 'On this computer';
}

/** What the server answered (a used-up code, no server at that address) is a sentence. */
function connectFailure(error: unknown): string {
  const issue = error instanceof RpcError ? error.issues[0] : undefined;
  const said = issue ? issue.message : errorMessage(error);
  const check = issue?.field === 'checkCode' ? 'the server address and its check code' : 'the server address and the invite code';
  return `${problemSentence(said)} Check ${check} with your team lead.`;
}

function ConnectForm({ initialUrl, heading, onConnected, onCancel }: ConnectProps) {
  const [url, setUrl] = useState(initialUrl);
  const [inviteCode, setInviteCode] = useState('');
  const [checkCode, setCheckCode] = useState('');
  const { busy, error, issues, setIssues, submit } = useFormState({ explain: connectFailure });

  const connect = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      // The data service's own schema: field messages without a round trip to the server.
      const parsed = SyncConnectParams.safeParse({ url: url.trim(), inviteCode, ...(checkCode.trim() ? { checkCode } : {}) });
      setIssues(parsed.success ? {} : issuesOf(fromZodError(parsed.error)));
      if (parsed.success) onConnected(await call('sync.connect', parsed.data));
    });
  };

  return (
    <form className="sync-connect" onSubmit={connect} noValidate>
      {heading ? (
        <h3>{heading}</h3>
      ) : (
        <p>
          Share this workspace with your team through your organisation’s sync server. Until you connect, everything you record stays on this
          device only.
        </p>
      )}
      <TextField
        path="url"
        label="Server address"
        hint="Your team lead gives you this, for example https://192.168.1.20:8787"
        value={url}
        onChange={setUrl}
        error={issues.url}
        autoComplete="url"
        autoFocus={!initialUrl}
      />
      <TextField
        path="inviteCode"
        label="Invite code"
        hint="For example ABCD-EFGH-JKLM. Capitals and dashes do not matter."
        value={inviteCode}
        onChange={setInviteCode}
        error={issues.inviteCode}
        autoComplete="off"
        autoFocus={!!initialUrl}
      />
      <TextField
        path="checkCode"
        label="Check code (optional)"
        hint="For a server on your team’s own network, its address starting https://: your team lead gives a code such as 7KQ2-M9XD-4TRB-1HNC with it, and this device then trusts only that server. Leave it empty otherwise."
        value={checkCode}
        onChange={setCheckCode}
        error={issues.checkCode}
        autoComplete="off"
      />
      <DialogActions error={error} onCancel={onCancel} busy={busy} submitLabel={busy ? 'Connecting…' : 'Connect'} />
    </form>
  );
}
