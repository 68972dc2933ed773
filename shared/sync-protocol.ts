// The sync wire protocol: binary frames over a WebSocket, shared by the sync server and
// the data service's sync client. Log shipping of Yjs updates (DESIGN.md, "Sync"):
// the client pushes its outbox, the server stores each update under a workspace-wide
// sequence number and acknowledges; the client pulls everything after its cursor, in
// batches; connected clients get new updates live.
//
// Frame: [PROTOCOL_VERSION u8][type u8][payload]. Version 2 added the attested author of
// each stored update, refusals of single records, and fetching one doc as stored; version 3
// erasures (a lead's `erase`, stored in the workspace's sequence and delivered with the
// updates, so a device that was offline applies it in order); version 4 several answers of
// one pull in flight at once (a pull's number and window, `pullNext`, the number echoed in
// each answer); version 5 several pushes in flight at once (each names the message id its
// predecessor ended at, `after`, and is not stored, but `skipped`, when that predecessor was
// not). Every decoder here is defensive: it
// checks counts and lengths against the caps below before allocating or looping, and
// reports what was wrong with a ProtocolError instead of throwing anything else.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const PROTOCOL_VERSION = 5;

/** Largest frame either side accepts (the WebSocket's maxPayload). */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** Largest single Yjs update accepted (a doc's compacted rows on the server may reach it). */
export const MAX_UPDATE_BYTES = 4 * 1024 * 1024;
/** Largest update a client may push for one doc: no record needs more; one worker stored 3.9 MB. */
export const MAX_PUSH_UPDATE_BYTES = 1024 * 1024;
/** Most updates in one push or one batch of updates. */
export const MAX_BATCH_ITEMS = 2_000;
const MAX_TEXT_BYTES = 4_096;
/** Most answers a pull may ask to have in flight at once (the server may allow fewer). */
export const MAX_PULL_WINDOW = 16;
/** Most records one erasure names (a person, the contacts merged into them, their connections). */
export const MAX_ERASED_RECORDS = 20_000;

/** What a token lets its holder do in its one workspace; viewers may only read. */
export const SYNC_ROLES = ['worker', 'lead', 'trainer', 'viewer'] as const;
export type SyncRole = (typeof SYNC_ROLES)[number];

export const MSG = {
  hello: 1,
  welcome: 2,
  push: 3,
  ack: 4,
  pull: 5,
  updates: 6,
  error: 7,
  refused: 8,
  fetchDoc: 9,
  docState: 10,
  erase: 11,
  erased: 12,
  // --- Connection life (issue 13 items 5-6): device tokens and registrations.
  /** Server to client: a fresh token for this device (sent while it syncs, before the old one expires). */
  renew: 13,
  /** A lead asks for the workspace's devices; the server answers with `devices`. */
  listDevices: 14,
  devices: 15,
  /** A lead withdraws one device's access. */
  revoke: 16,
  // --- end of connection life.
  /** The client took a pull's answer: the server may send one more of that pull's answers. */
  pullNext: 17,
  /** Server to client: a push sent behind one that was not stored was not stored either. */
  skipped: 18,
  /** A lead asks for an invite code for a colleague's device; the server answers with `invited`. */
  invite: 19,
  invited: 20,
} as const;

/** Most devices one invite code may register (a trainer's room of staff fits in one). */
export const MAX_INVITE_USES = 100;
/** Longest an invite code may stay redeemable, in days (a device's token lasts as long). */
export const MAX_INVITE_DAYS = 30;

export type ErrorCode =
  | 'bad_message'
  | 'unsupported_version'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited'
  | 'bad_update'
  /** Too slow (no hello in time) or too busy: the same token works on a later try. */
  | 'too_slow'
  | 'too_many_connections'
  | 'internal';

/** WebSocket close code sent with each error (4000-4999 are the application's). */
export const CLOSE_CODES: Record<ErrorCode, number> = {
  bad_message: 4000,
  unsupported_version: 4001,
  unauthorized: 4002,
  forbidden: 4003,
  too_large: 4004,
  rate_limited: 4005,
  bad_update: 4006,
  too_slow: 4007,
  too_many_connections: 4008,
  internal: 4010,
};

/** A device registered in a workspace (a redeemed invite), as a lead sees it. */
export interface DeviceInfo {
  /** The registration: one per redeemed invite; a token names it. */
  id: string;
  deviceId: string;
  /** The name the person gave the app, or empty. */
  userName: string;
  role: SyncRole;
  /** Milliseconds since 1970 of the last hello or pull; 0 = never connected. */
  lastSeenAt: number;
  /** Updates stored on the server that this device had not yet received when last seen. */
  behind: number;
  connected: boolean;
  revoked: boolean;
}

export interface PushItem {
  /** The client's outbox sequence of this update: increasing per device. */
  msgId: number;
  docId: string;
  update: Uint8Array;
}

/** The user a token was issued to: the server attests that a stored update came from them. */
export interface SyncUser {
  id: string;
  name: string;
}

export interface StoredUpdate {
  seq: number;
  docId: string;
  update: Uint8Array;
  /** Whose token pushed it; null for updates stored before the server attested authors. */
  author: SyncUser | null;
}

/**
 * An erasure as the server stores and delivers it: its place in the workspace's sequence,
 * a random id, when and by whom (the lead its token names), and the erased records' ids —
 * never a name.
 */
export interface StoredErasure {
  seq: number;
  erasureId: string;
  at: string;
  by: SyncUser;
  recordIds: string[];
}

export type Message =
  | { type: 'hello'; token: string; workspaceId: string; clientId: string }
  | { type: 'welcome'; workspaceId: string; role: string; head: number }
  /**
   * `after`: the message id the client's previous push still awaiting its answer ended at
   * (0 if none). The server stores the push only if it stored that one on this connection
   * (or took it as a re-send); else it answers `skipped` and stores nothing: the client,
   * told the earlier push was refused, sends these changes again itself.
   */
  | { type: 'push'; items: PushItem[]; after?: number }
  /** A push naming `after` was not stored: the push that ended there was not (see push). */
  | { type: 'skipped'; after: number }
  /** seq 0: already stored by an earlier push of the same message id. */
  | { type: 'ack'; items: { msgId: number; seq: number }[] }
  /**
   * Everything after `cursor`, in answers that each start where the last ended, until one
   * without `more`. `request`: the client's number for this pull, echoed in each of its
   * answers (0 if left out); `window`: how many of its answers may be on their way at once
   * (1 if left out: each asked for by a `pullNext`; the server may allow fewer).
   */
  | { type: 'pull'; cursor: number; request?: number; window?: number }
  /**
   * The client took the answers of pull `request` up to the one reaching `upTo`: as many more
   * may be sent. One for a pull whose last answer has gone is ignored.
   */
  | { type: 'pullNext'; request: number; upTo: number }
  /**
   * Updates with seq > `after`, up to and including `upTo`. A client whose cursor is at
   * least `after` may move it to `upTo`; otherwise it has a gap and must pull. `live`:
   * sent unasked as they were stored, not as a pull's answer; otherwise an answer to pull
   * number `request` (0 for live ones), its last unless `more` (it stopped at the batch limit).
   */
  | { type: 'updates'; after: number; upTo: number; live: boolean; more: boolean; request?: number; items: StoredUpdate[]; erasures: StoredErasure[] }
  | { type: 'error'; code: ErrorCode; message: string }
  /**
   * The push was refused because of these records' changes (nothing of the push is stored;
   * the connection stays open): the client sets their changes aside and pushes the rest.
   */
  | { type: 'refused'; items: { msgId: number; docId: string; reason: string }[] }
  /** Ask for one doc as the server stores it (to throw away a refused change). */
  | { type: 'fetchDoc'; docId: string }
  /** A doc as stored: its updates merged into one, empty if the server has none. */
  | { type: 'docState'; docId: string; update: Uint8Array }
  /** A lead erases these records for good (only a lead's token may send it). */
  | { type: 'erase'; erasureId: string; recordIds: string[] }
  /** The erasure is stored, at `seq` of the workspace's sequence. */
  | { type: 'erased'; erasureId: string; seq: number }

  // Connection life: device tokens and registrations.
  | { type: 'renew'; token: string }
  | { type: 'listDevices' }
  | { type: 'devices'; items: DeviceInfo[] }
  | { type: 'revoke'; id: string }
  | { type: 'invite'; role: SyncRole; uses: number; days: number }
  | ({ type: 'invited' } & Invitation);

/** An invite code a lead asked for: for how many devices of which role, until when. */
export interface Invitation {
  code: string;
  role: SyncRole;
  uses: number;
  /** Milliseconds since 1970. */
  expiresAt: number;
}

export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

// ---------------------------------------------------------------- doc ids
// Record ids are UUIDs; on the wire they take 16 bytes instead of 36.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isDocId(id: string): boolean {
  return UUID.test(id);
}

function writeDocId(encoder: encoding.Encoder, id: string): void {
  if (!isDocId(id)) throw new ProtocolError('bad_message', `doc id ${JSON.stringify(id)} is not a lower-case UUID`);
  const hex = id.replace(/-/g, '');
  for (let i = 0; i < 32; i += 2) encoding.writeUint8(encoder, parseInt(hex.slice(i, i + 2), 16));
}

function readDocId(decoder: decoding.Decoder): string {
  const bytes = readBytesExact(decoder, 16, 'doc id');
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------- encoding

function writeDocIds(encoder: encoding.Encoder, ids: string[]): void {
  encoding.writeVarUint(encoder, ids.length);
  for (const id of ids) writeDocId(encoder, id);
}

function writeString(encoder: encoding.Encoder, text: string): void {
  encoding.writeVarString(encoder, text);
}

export function encodeMessage(message: Message): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeUint8(e, PROTOCOL_VERSION);
  encoding.writeUint8(e, MSG[message.type]);
  switch (message.type) {
    case 'hello':
      writeString(e, message.token);
      writeString(e, message.workspaceId);
      writeString(e, message.clientId);
      break;
    case 'welcome':
      writeString(e, message.workspaceId);
      writeString(e, message.role);
      encoding.writeVarUint(e, message.head);
      break;
    case 'push':
      encoding.writeVarUint(e, message.after ?? 0);
      encoding.writeVarUint(e, message.items.length);
      for (const item of message.items) {
        encoding.writeVarUint(e, item.msgId);
        writeDocId(e, item.docId);
        encoding.writeVarUint8Array(e, item.update);
      }
      break;
    case 'skipped':
      encoding.writeVarUint(e, message.after);
      break;
    case 'ack':
      encoding.writeVarUint(e, message.items.length);
      for (const item of message.items) {
        encoding.writeVarUint(e, item.msgId);
        encoding.writeVarUint(e, item.seq);
      }
      break;
    case 'pull':
      encoding.writeVarUint(e, message.cursor);
      encoding.writeVarUint(e, message.request ?? 0);
      encoding.writeVarUint(e, message.window ?? 1);
      break;
    case 'pullNext':
      encoding.writeVarUint(e, message.request);
      encoding.writeVarUint(e, message.upTo);
      break;
    case 'updates':
      encoding.writeVarUint(e, message.after);
      encoding.writeVarUint(e, message.upTo);
      encoding.writeUint8(e, (message.more ? 1 : 0) | (message.live ? 2 : 0));
      encoding.writeVarUint(e, message.request ?? 0);
      encoding.writeVarUint(e, message.items.length);
      for (const item of message.items) {
        encoding.writeVarUint(e, item.seq);
        writeDocId(e, item.docId);
        encoding.writeVarUint8Array(e, item.update);
        // An empty id stands for no attested author.
        writeString(e, item.author?.id ?? '');
        writeString(e, item.author?.name ?? '');
      }
      encoding.writeVarUint(e, message.erasures.length);
      for (const erasure of message.erasures) {
        encoding.writeVarUint(e, erasure.seq);
        writeString(e, erasure.erasureId);
        writeString(e, erasure.at);
        writeString(e, erasure.by.id);
        writeString(e, erasure.by.name);
        writeDocIds(e, erasure.recordIds);
      }
      break;
    case 'error':
      writeString(e, message.code);
      writeString(e, message.message.slice(0, 1_000));
      break;
    case 'refused':
      encoding.writeVarUint(e, message.items.length);
      for (const item of message.items) {
        encoding.writeVarUint(e, item.msgId);
        writeDocId(e, item.docId);
        writeString(e, item.reason.slice(0, 1_000));
      }
      break;
    case 'fetchDoc':
      writeDocId(e, message.docId);
      break;
    case 'docState':
      writeDocId(e, message.docId);
      encoding.writeVarUint8Array(e, message.update);
      break;
    case 'erase':
      writeString(e, message.erasureId);
      writeDocIds(e, message.recordIds);
      break;
    case 'erased':
      writeString(e, message.erasureId);
      encoding.writeVarUint(e, message.seq);
      break;
    case 'renew':
      writeString(e, message.token);
      break;
    case 'listDevices':
      break;
    case 'devices':
      encoding.writeVarUint(e, message.items.length);
      for (const d of message.items) {
        for (const text of [d.id, d.deviceId, d.userName, d.role]) writeString(e, text);
        encoding.writeVarUint(e, d.lastSeenAt);
        encoding.writeVarUint(e, d.behind);
        encoding.writeUint8(e, (d.connected ? 1 : 0) | (d.revoked ? 2 : 0));
      }
      break;
    case 'revoke':
      writeString(e, message.id);
      break;
    case 'invite':
      writeString(e, message.role);
      encoding.writeVarUint(e, message.uses);
      encoding.writeVarUint(e, message.days);
      break;
    case 'invited':
      writeString(e, message.code);
      writeString(e, message.role);
      encoding.writeVarUint(e, message.uses);
      encoding.writeVarUint(e, message.expiresAt);
      break;
  }
  return encoding.toUint8Array(e);
}

// ---------------------------------------------------------------- decoding

function need(decoder: decoding.Decoder, bytes: number, what: string): void {
  if (decoder.arr.length - decoder.pos < bytes) throw new ProtocolError('bad_message', `truncated message: ${what} is cut short`);
}

function readBytesExact(decoder: decoding.Decoder, length: number, what: string): Uint8Array {
  need(decoder, length, what);
  return decoding.readUint8Array(decoder, length);
}

/** A varuint that must fit in a safe integer and stay within `max`. */
function readCount(decoder: decoding.Decoder, what: string, max = Number.MAX_SAFE_INTEGER): number {
  need(decoder, 1, what);
  let value: number;
  try {
    value = decoding.readVarUint(decoder);
  } catch {
    throw new ProtocolError('bad_message', `truncated message: ${what} is cut short`);
  }
  if (!Number.isSafeInteger(value) || value > max) throw new ProtocolError('bad_message', `${what} is ${value}; at most ${max} is allowed`);
  return value;
}

function readText(decoder: decoding.Decoder, what: string): string {
  const length = readCount(decoder, `length of ${what}`, MAX_TEXT_BYTES);
  const bytes = readBytesExact(decoder, length, what);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProtocolError('bad_message', `${what} is not valid UTF-8`);
  }
}

function readDocIds(decoder: decoding.Decoder): string[] {
  const count = readCount(decoder, 'number of erased records', MAX_ERASED_RECORDS);
  need(decoder, count * 16, 'erased record ids');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(readDocId(decoder));
  return ids;
}

function readUpdate(decoder: decoding.Decoder): Uint8Array {
  const length = readCount(decoder, 'update length');
  if (length > MAX_UPDATE_BYTES) throw new ProtocolError('too_large', `an update of ${length} bytes exceeds the limit of ${MAX_UPDATE_BYTES}`);
  if (length === 0) throw new ProtocolError('bad_message', 'an update is empty');
  // Copy, so a stored update never pins the whole frame's buffer.
  return readBytesExact(decoder, length, 'update').slice();
}

const TYPES = Object.fromEntries(Object.entries(MSG).map(([name, code]) => [code, name])) as Record<number, Message['type']>;
const ERROR_CODES = new Set(Object.keys(CLOSE_CODES));

/** Decode one frame. Throws ProtocolError naming what was wrong, never anything else. */
export function decodeMessage(frame: Uint8Array): Message {
  if (frame.byteLength > MAX_FRAME_BYTES) throw new ProtocolError('too_large', `message of ${frame.byteLength} bytes exceeds ${MAX_FRAME_BYTES}`);
  if (frame.byteLength < 2) throw new ProtocolError('bad_message', 'message is shorter than its 2-byte header');
  const d = decoding.createDecoder(frame);
  const version = decoding.readUint8(d);
  if (version !== PROTOCOL_VERSION) {
    throw new ProtocolError('unsupported_version', `protocol version ${version} is not supported; this side speaks ${PROTOCOL_VERSION}`);
  }
  const type = TYPES[decoding.readUint8(d)];
  if (!type) throw new ProtocolError('bad_message', `unknown message type ${frame[1]}`);
  const message = decodeBody(type, d);
  if (d.pos !== frame.byteLength) throw new ProtocolError('bad_message', `${frame.byteLength - d.pos} unexpected bytes after the ${type} message`);
  return message;
}

function decodeBody(type: Message['type'], d: decoding.Decoder): Message {
  switch (type) {
    case 'hello':
      return { type, token: readText(d, 'token'), workspaceId: readText(d, 'workspace id'), clientId: readText(d, 'client id') };
    case 'welcome':
      return { type, workspaceId: readText(d, 'workspace id'), role: readText(d, 'role'), head: readCount(d, 'head') };
    case 'push': {
      const after = readCount(d, 'the message id it follows');
      const count = readCount(d, 'number of updates', MAX_BATCH_ITEMS);
      const items: PushItem[] = [];
      for (let i = 0; i < count; i++) {
        items.push({ msgId: readCount(d, 'message id'), docId: readDocId(d), update: readUpdate(d) });
      }
      return { type, items, after };
    }
    case 'skipped':
      return { type, after: readCount(d, 'the message id it follows') };
    case 'ack': {
      const count = readCount(d, 'number of acknowledgements', MAX_BATCH_ITEMS);
      const items: { msgId: number; seq: number }[] = [];
      for (let i = 0; i < count; i++) items.push({ msgId: readCount(d, 'message id'), seq: readCount(d, 'sequence') });
      return { type, items };
    }
    case 'pull':
      return { type, cursor: readCount(d, 'cursor'), request: readCount(d, 'pull number'), window: readCount(d, 'pull window', MAX_PULL_WINDOW) };
    case 'pullNext':
      return { type, request: readCount(d, 'pull number'), upTo: readCount(d, 'upTo') };
    case 'updates': {
      const after = readCount(d, 'after');
      const upTo = readCount(d, 'upTo');
      need(d, 1, 'flags');
      const flags = decoding.readUint8(d);
      if (flags > 3) throw new ProtocolError('bad_message', `unknown flags ${flags} in an updates message`);
      const request = readCount(d, 'pull number');
      const count = readCount(d, 'number of updates', MAX_BATCH_ITEMS);
      const items: StoredUpdate[] = [];
      for (let i = 0; i < count; i++) {
        const item = { seq: readCount(d, 'sequence'), docId: readDocId(d), update: readUpdate(d) };
        const author = { id: readText(d, 'author id'), name: readText(d, 'author name') };
        items.push({ ...item, author: author.id ? author : null });
      }
      const erasures: StoredErasure[] = [];
      const erasureCount = readCount(d, 'number of erasures', MAX_BATCH_ITEMS);
      for (let i = 0; i < erasureCount; i++) {
        erasures.push({
          seq: readCount(d, 'erasure sequence'),
          erasureId: readText(d, 'erasure id'),
          at: readText(d, 'erasure time'),
          by: { id: readText(d, 'erasing user id'), name: readText(d, 'erasing user name') },
          recordIds: readDocIds(d),
        });
      }
      return { type, after, upTo, live: (flags & 2) !== 0, more: (flags & 1) !== 0, request, items, erasures };
    }
    case 'error': {
      const code = readText(d, 'error code');
      return { type, code: (ERROR_CODES.has(code) ? code : 'internal') as ErrorCode, message: readText(d, 'error message') };
    }
    case 'refused': {
      const count = readCount(d, 'number of refusals', MAX_BATCH_ITEMS);
      const items: { msgId: number; docId: string; reason: string }[] = [];
      for (let i = 0; i < count; i++) items.push({ msgId: readCount(d, 'message id'), docId: readDocId(d), reason: readText(d, 'reason') });
      return { type, items };
    }
    case 'fetchDoc':
      return { type, docId: readDocId(d) };
    case 'docState': {
      const docId = readDocId(d);
      const length = readCount(d, 'doc state length', MAX_UPDATE_BYTES);
      return { type, docId, update: readBytesExact(d, length, 'doc state').slice() };
    }
    case 'erase':
      return { type, erasureId: readText(d, 'erasure id'), recordIds: readDocIds(d) };
    case 'erased':
      return { type, erasureId: readText(d, 'erasure id'), seq: readCount(d, 'erasure sequence') };
    case 'renew':
      return { type, token: readText(d, 'token') };
    case 'listDevices':
      return { type };
    case 'devices': {
      const count = readCount(d, 'number of devices', MAX_BATCH_ITEMS);
      const items: DeviceInfo[] = [];
      for (let i = 0; i < count; i++) {
        const [id, deviceId, userName, role] = [readText(d, 'device'), readText(d, 'device id'), readText(d, 'user name'), readRole(d)];
        const lastSeenAt = readCount(d, 'last seen');
        const behind = readCount(d, 'updates behind');
        need(d, 1, 'device flags');
        const flags = decoding.readUint8(d);
        items.push({ id, deviceId, userName, role, lastSeenAt, behind, connected: (flags & 1) !== 0, revoked: (flags & 2) !== 0 });
      }
      return { type, items };
    }
    case 'revoke':
      return { type, id: readText(d, 'device') };
    case 'invite': {
      const role = readRole(d);
      const uses = readCount(d, 'number of uses', MAX_INVITE_USES);
      const days = readCount(d, 'days valid', MAX_INVITE_DAYS);
      if (uses === 0 || days === 0) throw new ProtocolError('bad_message', 'an invite must allow at least one use for at least one day');
      return { type, role, uses, days };
    }
    case 'invited':
      return { type, code: readText(d, 'invite code'), role: readRole(d), uses: readCount(d, 'number of uses'), expiresAt: readCount(d, 'expiry') };
  }
}

function readRole(d: decoding.Decoder): SyncRole {
  const role = readText(d, 'role');
  if (!SYNC_ROLES.includes(role as SyncRole)) throw new ProtocolError('bad_message', `unknown role ${JSON.stringify(role)}`);
  return role as SyncRole;
}
