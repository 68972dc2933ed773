import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HybridLogicalClock, formatHlc, hlcToIso, parseHlc } from '../../main/data-service/hlc';

/** A clock whose wall time the test sets. */
function manualClock(node: string, start: number) {
  let now = start;
  const clock = new HybridLogicalClock(node, () => now);
  return { clock, set: (t: number) => (now = t) };
}

test('stamps keep increasing while the wall clock goes backwards or stands still', () => {
  const { clock, set } = manualClock('device-a', 1_700_000_000_000);
  const first = clock.tick();
  set(1_600_000_000_000); // the device's clock is corrected back by years
  const second = clock.tick();
  const third = clock.tick();
  set(1_700_000_000_000);
  const fourth = clock.tick();
  assert.ok(first < second && second < third && third < fourth, [first, second, third, fourth].join(' < '));
  assert.equal(hlcToIso(fourth), new Date(1_700_000_000_000).toISOString());
});

test('stamps stay in order however the wall clock and remote stamps move', () => {
  const step = fc.oneof(
    fc.record({ op: fc.constant('tick' as const), wall: fc.integer({ min: 1_600_000_000_000, max: 1_600_000_100_000 }) }),
    fc.record({
      op: fc.constant('receive' as const),
      wall: fc.integer({ min: 1_600_000_000_000, max: 1_600_000_200_000 }),
      counter: fc.integer({ min: 0, max: 500 }),
    }),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
      const { clock, set } = manualClock('device-a', 1_600_000_000_000);
      let last = '';
      for (const s of steps) {
        if (s.op === 'tick') {
          set(s.wall);
          const stamp = clock.tick();
          assert.ok(stamp > last, `${stamp} after ${last}`);
          last = stamp;
        } else {
          const remote = formatHlc({ wall: s.wall, counter: s.counter, node: 'device-b' });
          clock.receive(remote);
          const stamp = clock.tick();
          assert.ok(stamp > remote && stamp > last, `${stamp} after ${remote} and ${last}`);
          last = stamp;
        }
      }
    }),
    { numRuns: 200 },
  );
});

test('a stopped wall clock never makes a stamp sort before an earlier one, even after 100,000 writes', () => {
  // A bulk import while the device's clock is held back by a correction.
  const { clock } = manualClock('device-a', 1_700_000_000_000);
  let last = clock.tick();
  for (let i = 0; i < 100_005; i++) {
    const stamp = clock.tick();
    if (!(stamp > last)) assert.fail(`write ${i}: ${stamp} sorts before ${last}`);
    assert.ok(parseHlc(stamp), `write ${i}: ${stamp} is a well-formed stamp`);
    last = stamp;
  }
});

test('receive() moves the clock past a stamp from a device whose clock runs ahead', () => {
  const { clock } = manualClock('device-a', 1_700_000_000_000);
  const remote = formatHlc({ wall: 1_800_000_000_000, counter: 7, node: 'device-b' });
  clock.receive(remote);
  const stamp = clock.tick();
  assert.ok(stamp > remote);
  assert.deepEqual(parseHlc(stamp), { wall: 1_800_000_000_000, counter: 8, node: 'device-a' });
});

test('receive() ignores malformed stamps and stamps from the past', () => {
  const { clock } = manualClock('device-a', 1_700_000_000_000);
  const before = clock.tick();
  clock.receive('not a stamp');
  clock.receive(formatHlc({ wall: 1_500_000_000_000, counter: 3, node: 'device-b' }));
  const after = clock.tick();
  assert.deepEqual(parseHlc(after), { wall: 1_700_000_000_000, counter: 1, node: 'device-a' });
  assert.ok(after > before);
});

test('parseHlc reads back what formatHlc wrote and refuses anything else', () => {
  const parts = { wall: 1_700_000_000_123, counter: 42, node: 'c0ffee' };
  assert.deepEqual(parseHlc(formatHlc(parts)), parts);
  assert.equal(parseHlc('1700000000123-00042-c0ffee'), null);
  assert.equal(parseHlc(''), null);
});
