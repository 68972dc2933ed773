import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readDateEntry, writeDateEntry } from '../../renderer/src/lib/date-entry';

test('a date written DD/MM/YYYY is read as the stored YYYY-MM-DD, with or without leading zeros', () => {
  assert.deepEqual(readDateEntry('27/03/2026'), { value: '2026-03-27' });
  assert.deepEqual(readDateEntry(' 1/2/2026 '), { value: '2026-02-01' });
  assert.deepEqual(readDateEntry('1-2-2026'), { value: '2026-02-01' });
  assert.deepEqual(readDateEntry('29/02/2028'), { value: '2028-02-29' });
  assert.deepEqual(readDateEntry(''), { value: '' });
  assert.deepEqual(readDateEntry('15/01/2026 9:05', true), { value: '2026-01-15T09:05' });
});

test('what cannot become a date is refused at once, in the format the field shows', () => {
  assert.deepEqual(readDateEntry('12/03/202612'), { problem: 'must have a four-digit year, written DD/MM/YYYY', final: true });
  assert.deepEqual(readDateEntry('31/02/2026'), { problem: 'must be a real date: there is no 31/02/2026', final: true });
  assert.deepEqual(readDateEntry('29/2/2100'), { problem: 'must be a real date: there is no 29/02/2100', final: true });
  assert.deepEqual(readDateEntry('10/13'), { problem: 'must be a real date, written DD/MM/YYYY', final: true });
  assert.deepEqual(readDateEntry('2026-03-27'), { problem: 'must be a real date, written DD/MM/YYYY', final: true });
  assert.deepEqual(readDateEntry('next tuesday'), { problem: 'must be written DD/MM/YYYY, like 27/03/2026', final: true });
  assert.deepEqual(readDateEntry('15/01/2026 24:00', true), { problem: 'must be a real time on a 24-hour clock, written DD/MM/YYYY HH:MM', final: true });
});

test('a date still being typed is refused only once left unfinished', () => {
  assert.deepEqual(readDateEntry('27/03'), { problem: 'must be written DD/MM/YYYY, like 27/03/2026', final: false });
  assert.deepEqual(readDateEntry('27/03/26'), { problem: 'must have a four-digit year, written DD/MM/YYYY', final: false });
  assert.deepEqual(readDateEntry('15/01/2026 10:0', true), { problem: 'must be written DD/MM/YYYY HH:MM, like 27/03/2026 14:30', final: false });
});

test('a stored date is written back the way the field asks for it', () => {
  assert.equal(writeDateEntry('2026-03-27'), '27/03/2026');
  assert.equal(writeDateEntry('2026-01-15T10:00', true), '15/01/2026 10:00');
  assert.equal(writeDateEntry(''), '');
  for (const text of ['27/03/2026', '15/01/2026 10:00']) {
    const withTime = text.includes(':');
    const read = readDateEntry(text, withTime);
    assert.ok('value' in read);
    assert.equal(writeDateEntry(read.value, withTime), text);
  }
});
