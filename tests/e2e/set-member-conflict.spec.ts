// A set member two devices changed without seeing each other's change — the lead takes the
// theme "food" off a contact while a worker, offline, had taken it off and put it back — is
// one entry of the conflict inbox, in words: whether it is in Themes, and who made it so.
import { join } from 'node:path';
import { Workspace } from '../../main/data-service/workspace';
import { tempDir } from '../integration/sync-helpers';
import { ben, exchange, Relay } from '../unit/helpers';
import { expect, expectNoSeriousViolations, test } from './fixtures';

test('the lead takes “food” off a contact while a worker put it back: listed once with both sides, and Use this value takes it off again, touching no other theme', async ({ page, harness }) => {
  const lead = harness.service.workspace;
  const worker = Workspace.open({ path: join(tempDir('set-member-conflict'), 'worker.sqlite'), author: ben, durability: 'normal' });
  try {
    const relay = new Relay();
    const peggy = lead.create('contact', { name: 'Peggy Jones', themes: ['food', 'youth'] });
    exchange(lead, worker, relay);
    lead.update('contact', peggy.id, { themes: ['youth'] });
    worker.update('contact', peggy.id, { themes: ['youth'] });
    worker.update('contact', peggy.id, { themes: ['food', 'youth', 'arts'] });
    exchange(lead, worker, relay);

    await page.goto(`${harness.url}#/conflicts`);
    await expect(page.getByRole('heading', { level: 1, name: 'Conflicts' })).toBeVisible();
    const conflict = page.getByRole('article', { name: '“food” in Themes of Peggy Jones' });
    await expect(page.getByRole('article')).toHaveCount(1);
    await expect(conflict.getByRole('definition').first()).toContainText('in Themes');
    await expect(conflict.getByRole('definition').first()).toContainText('Ben Okafor');
    // The lead's own removal has not reached a sync server yet: it is only this device's word.
    const other = conflict.getByRole('definition').nth(1);
    await expect(other).toContainText('not in Themes');
    await expect(other).toContainText('You, not yet synced');
    await expectNoSeriousViolations(page, 'conflict over a set member');
    await page.screenshot({ path: '/tmp/authors-set-member-conflict.png', fullPage: true });

    await other.getByRole('button', { name: /^Use this value/ }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The conflict is resolved' })).toHaveText('“food” in Themes set to not in Themes. The conflict is resolved.');
    expect(lead.get('contact', peggy.id).data.themes).toEqual(['arts', 'youth']);
  } finally {
    worker.close();
  }
});
