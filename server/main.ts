// Command line of the sync server.
//   npm run server -- [--port 8787] [--host 127.0.0.1] [--db fieldbook-sync.sqlite | --postgres <url>] [--redeems-per-minute 30]
//                     [--limit <name>=<number> …]   (any of server.ts Limits, e.g. --limit connectionsPerDevice=8)
//                     [--tls [--tls-cert fieldbook-sync-tls.crt --tls-key fieldbook-sync-tls.key]]
//     --tls serves HTTPS: with the certificate and key at those paths, made self-signed at the
//     first start if neither exists, and prints the check code devices trust it by.
//     The SQLite store is encrypted: its passphrase comes from FIELDBOOK_SERVER_PASSPHRASE or
//     --passphrase-file <file> (the first start sets it and prints the recovery code once);
//     --recovery-code-file <file> opens it when the passphrase is forgotten, the passphrase
//     given then replacing it.
//   npm run sync-admin -- create-workspace --name "North team" [--db … | --postgres …]
//   npm run sync-admin -- invite --workspace <id> --role worker [--uses 1] [--days 14] [--tls] [--db … | --postgres …]
//   npm run sync-admin -- devices --workspace <id> [--db … | --postgres …]
//   npm run sync-admin -- revoke --workspace <id> --device <registration id> [--db … | --postgres …]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { keyForFile } from '../main/data-service/keys/file-key';
import { SYNC_ROLES, type SyncRole } from '../shared/sync-protocol';
import { createInvite, createWorkspace, listDevices, revokeDevice } from './admin';
import { DEFAULT_LIMITS, SyncServer, type Limits } from './server';
import type { SyncStore } from './store';
import { PostgresStore } from './store-postgres';
import { serverTls } from './tls';
import { SqliteStore } from './store-sqlite';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    db: { type: 'string', default: 'fieldbook-sync.sqlite' },
    postgres: { type: 'string' },
    name: { type: 'string' },
    workspace: { type: 'string' },
    role: { type: 'string', default: 'worker' },
    uses: { type: 'string', default: '1' },
    days: { type: 'string', default: '14' },
    'redeems-per-minute': { type: 'string' },
    'passphrase-file': { type: 'string' },
    'recovery-code-file': { type: 'string' },
    limit: { type: 'string', multiple: true, default: [] },
    device: { type: 'string' },
    tls: { type: 'boolean', default: false },
    'tls-cert': { type: 'string', default: 'fieldbook-sync-tls.crt' },
    'tls-key': { type: 'string', default: 'fieldbook-sync-tls.key' },
  },
});

const firstLine = (file: string) => readFileSync(file, 'utf8').split(/\r?\n/)[0]!;

function parseLimits(): Partial<Limits> {
  const limits: Partial<Limits> = {};
  if (values['redeems-per-minute']) limits.redeemsPerMinute = Number(values['redeems-per-minute']);
  for (const entry of values.limit) {
    const [name, value] = entry.split('=');
    if (!name || !(name in DEFAULT_LIMITS) || !Number.isFinite(Number(value)) || Number(value) <= 0) {
      throw new Error(`--limit ${entry}: give <name>=<positive number>, the name one of ${Object.keys(DEFAULT_LIMITS).join(', ')}`);
    }
    limits[name as keyof Limits] = Number(value);
  }
  return limits;
}

async function openStore(): Promise<SyncStore> {
  if (values.postgres) return PostgresStore.connect(values.postgres);
  const passphrase = values['passphrase-file'] ? firstLine(values['passphrase-file']) : process.env.FIELDBOOK_SERVER_PASSPHRASE;
  if (!passphrase) throw new Error(`the SQLite store ${values.db} is encrypted: give its passphrase in FIELDBOOK_SERVER_PASSPHRASE or with --passphrase-file <file>`);
  const recoveryCode = values['recovery-code-file'] ? firstLine(values['recovery-code-file']) : undefined;
  const { key, keyFile, recoveryCode: newCode } = await keyForFile(values.db, { passphrase, recoveryCode });
  if (newCode) {
    console.log(`${values.db} is encrypted with a new key, kept wrapped by your passphrase in ${keyFile}.`);
    console.log(`Its recovery code, shown only now (it opens the store if the passphrase is forgotten; store it away from this computer): ${newCode}`);
  }
  return new SqliteStore(values.db, key);
}

async function main(): Promise<void> {
  const command = positionals[0] ?? 'serve';
  const store = await openStore();
  // Only the server makes its certificate: a command run elsewhere would print another's code.
  const tls = values.tls ? await serverTls(values['tls-cert'], values['tls-key'], { make: command === 'serve' }) : null;
  if (tls?.made) console.log(`made a certificate for this server: ${values['tls-cert']}, its key in ${values['tls-key']} (readable by this user only)`);
  if (command === 'serve') {
    const server = await SyncServer.start({ store, port: Number(values.port), host: values.host, limits: parseLimits(), ...(tls ? { tls } : {}) });
    if (tls) console.log(`check code ${tls.checkCode}: give it with the server's address; devices trust this server by it`);
    // The line tests and scripts wait for, last.
    console.log(`fieldbook sync server listening on ${tls ? 'https' : 'http'}://${values.host}:${server.port} (${values.postgres ? 'PostgreSQL' : `SQLite ${values.db}`})`);
    const stop = () => void server.close().then(() => store.close()).then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  try {
    if (command === 'create-workspace') {
      if (!values.name) throw new Error('give the workspace a --name');
      console.log(await createWorkspace(store, values.name));
    } else if (command === 'invite') {
      if (!values.workspace) throw new Error('say which --workspace');
      if (!SYNC_ROLES.includes(values.role as SyncRole)) throw new Error(`--role must be one of ${SYNC_ROLES.join(', ')}`);
      console.log(await createInvite(store, values.workspace, { role: values.role as SyncRole, uses: Number(values.uses), days: Number(values.days) }));
      if (tls) console.log(`check code ${tls.checkCode} (give it with the server's address)`);
    } else if (command === 'devices') {
      if (!values.workspace) throw new Error('say which --workspace');
      for (const d of await listDevices(store, values.workspace)) {
        const seen = d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : 'never';
        console.log([d.id, d.role, d.userName || '(no name)', `device ${d.deviceId}`, `last seen ${seen}`, d.revokedAt ? 'REVOKED' : 'active'].join('\t'));
      }
    } else if (command === 'revoke') {
      if (!values.workspace || !values.device) throw new Error('say which --workspace and --device (an id from the devices command)');
      await revokeDevice(store, values.workspace, values.device);
      console.log(`revoked ${values.device}`);
    } else {
      throw new Error(`unknown command ${command}; use serve, create-workspace, invite, devices or revoke`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
