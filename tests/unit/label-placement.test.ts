// Where the network drawing puts names: never over another name or dot, never off the edge,
// the most important first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeLabels, type LabelCandidate } from '../../renderer/src/network/label-placement';

/** Every letter 7 pixels wide. */
const measure = (label: string) => label.length * 7;
const place = (candidates: LabelCandidate[], width = 400, height = 300) =>
  placeLabels(candidates, measure, 14, width, height).map(({ label, side }) => `${label} ${side}`);

test('a name that would cover an earlier name or another dot goes on the other side of its dot, or is left out', () => {
  const focus = { label: 'Grace Adeyemi', x: 100, y: 100, size: 8 };
  const tom = { label: 'Tom', x: 300, y: 100, size: 3 };
  // To the right it would cover Tom's dot and name; to the left there is room.
  const ann = { label: 'Ann', x: 280, y: 102, size: 3 };
  // To the right it would cover Ann and Tom, to the left the focus's name.
  const long = { label: 'Featherstonehaugh', x: 240, y: 100, size: 3 };
  assert.deepEqual(place([focus, tom, ann, long]), ['Grace Adeyemi right', 'Tom right', 'Ann left']);
});

test('a name that would run off the right edge is drawn to the left of its dot', () => {
  assert.deepEqual(place([{ label: 'Margaret’s baking', x: 380, y: 50, size: 4 }]), ['Margaret’s baking left']);
  assert.deepEqual(place([{ label: 'Off the drawing', x: 500, y: 50, size: 4 }]), []);
});

test('the most important name is placed first, and one is never drawn over another', () => {
  let seed = 7;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  const crowd = Array.from({ length: 60 }, (_, i) => ({ label: `Neighbour ${i + 1}`, x: 10 + random() * 380, y: 60 + random() * 230, size: 2 + random() * 6 }));
  const placed = placeLabels([{ label: 'Grace Adeyemi', x: 20, y: 20, size: 10 }, ...crowd], measure, 14, 400, 300);
  assert.equal(placed[0]?.label, 'Grace Adeyemi');
  assert.ok(placed.length > 5 && placed.length < crowd.length, `${placed.length} of ${crowd.length} placed`);
  for (const [i, a] of placed.entries()) {
    for (const b of placed.slice(i + 1)) {
      const apart = a.box.right <= b.box.left || b.box.right <= a.box.left || a.box.bottom <= b.box.top || b.box.bottom <= a.box.top;
      assert.ok(apart, `${a.label} and ${b.label} overlap`);
    }
  }
});
