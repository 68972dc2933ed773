// What a device accepts as a sync server's address and check code before it sends anything.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { checkCodeOf, normaliseCheckCode } from '../../shared/check-code';
import { SyncConnectParams } from '../../shared/sync-status';

const urlProblems = (url: string) => {
  const parsed = SyncConnectParams.safeParse({ url, inviteCode: 'ABCD-EFGH-JKMN' });
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

test('a plain http:// address is taken only for a server on this computer: across a network it must be https://', () => {
  for (const local of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787', 'https://192.168.1.20:8787', 'https://sync.example.org']) {
    assert.deepEqual(urlProblems(local), [], `${local} is taken`);
  }
  for (const remote of ['http://192.168.1.20:8787', 'http://sync.example.org', 'http://127.0.0.1.example.org']) {
    assert.deepEqual(urlProblems(remote), [urlProblems(remote)[0]!]);
    assert.match(urlProblems(remote)[0]!, /is not encrypted \(http:\/\/\)/, `${remote} is refused as unencrypted`);
  }
  assert.deepEqual(urlProblems('192.168.1.20'), ['must be a web address, such as https://192.168.1.20:8787'], 'no address at all gets one message');
});

test('a check code is 16 characters of Crockford base32 in four groups, read however it is typed', () => {
  const der = randomBytes(600);
  const code = checkCodeOf(der);
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  assert.equal(checkCodeOf(der), code, 'the same certificate always gives the same code');
  assert.notEqual(checkCodeOf(Buffer.concat([der.subarray(0, -1), Buffer.from([der.at(-1)! ^ 1])])), code, 'one bit changed gives another');
  assert.equal(normaliseCheckCode(code.toLowerCase().replace(/-/g, ' ')), code);
  assert.equal(normaliseCheckCode('O1IL-0000-0000-0000'), '0111-0000-0000-0000', 'O reads as 0, I and L as 1');
  for (const bad of ['', 'ABCD-EFGH-JKMN', 'ABCD-EFGH-JKMN-PQRSX', 'ABCD-EFGH-JKMN-PQRU']) assert.equal(normaliseCheckCode(bad), null, `${JSON.stringify(bad)} is not a code`);
});
