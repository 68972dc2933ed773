// A value sync brought that a field's rules refuse (a peer's device from before the server
// checked pushes, or two valid edits merged) never hides a record: the field shows what it
// holds with a flag saying so, the lead finds every such record at the head of the review
// queue, and entering a valid value fixes it.
import * as Y from 'yjs';
import { expect, expectNoSeriousViolations, test } from './fixtures';

/** What a peer's device sends after writing `change` into the record as this device holds it. */
function peerChange(state: Uint8Array, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const known = Y.encodeStateVector(doc);
  doc.transact(() => change(doc));
  return Y.encodeStateAsUpdate(doc, known);
}

test('a peer sets a phone to the number 42: the contact stays listed, the field shows 42 flagged, the lead finds it under Needs attention, and a valid phone fixes it', async ({ page, harness }) => {
  const ws = harness.service.workspace;
  const margaret = ws.create('contact', { name: 'Margaret Okafor', phone: '07700 900123' });
  ws.create('contact', { name: 'Ann Lee', phone: '07700 900000' });
  const bad = peerChange(ws.docState(margaret.id), (d) => d.getMap('fields').set('phone', 42));
  ws.applyRemoteUpdates([{ id: margaret.id, update: bad, author: { id: 'worker-ben', name: 'Ben Okafor' } }], () => undefined);

  await page.goto(`${harness.url}#/review`);
  await expect(page.getByRole('heading', { level: 1, name: 'Review changes' })).toBeVisible();
  const attention = page.getByRole('region', { name: 'Needs attention: 1 record with values that could not be read' });
  await expect(attention.getByRole('listitem')).toHaveText(['Margaret Okafor (contact): Phone holds 42']);
  await expectNoSeriousViolations(page, 'review queue with a record needing attention');
  await page.screenshot({ path: '/tmp/authors-unreadable-review.png', fullPage: true });

  await attention.getByRole('link', { name: 'Margaret Okafor' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Margaret Okafor' })).toBeVisible();
  const phone = page.getByLabel('Phone', { exact: true });
  await expect(phone).toHaveValue('42');
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  const flag = 'Phone could not be read: it holds 42 (expected text, received a number). Enter a valid value to replace it.';
  await expect(phone).toHaveAccessibleDescription(new RegExp(`${flag.replace(/[().]/g, '\\$&')}$`));
  const summary = page.getByRole('region', { name: 'Some fields of this contact hold values that could not be read' });
  await expect(summary.getByRole('button', { name: flag })).toBeVisible();
  await expectNoSeriousViolations(page, 'contact with a value that could not be read');
  await page.screenshot({ path: '/tmp/authors-unreadable-contact.png', fullPage: true });
  await page.locator('.field', { has: phone }).screenshot({ path: '/tmp/authors-unreadable-phone.png' });

  // The summary's entry takes the user to the field; a valid phone replaces what it held.
  await summary.getByRole('button', { name: flag }).click();
  await expect(phone).toBeFocused();
  await phone.fill('07700 900456');
  await page.keyboard.press('Tab');
  await expect(phone).not.toHaveAttribute('aria-invalid', 'true');
  await expect(summary).toHaveCount(0);
  expect(ws.get('contact', margaret.id).data.phone).toBe('07700 900456');

  await page.goto(`${harness.url}#/review`);
  await expect(page.getByRole('heading', { level: 1, name: 'Review changes' })).toBeVisible();
  // Ben's change is still there to review; nothing needs attention any more.
  await expect(page.getByRole('region', { name: /^Ben Okafor/ })).toContainText('Changed Phone from “07700 900123” to');
  await expect(page.getByRole('region', { name: /^Needs attention/ })).toHaveCount(0);
});
