// The links a worker expects between records: a contact's page lists the sessions they came
// to or facilitated and the actions they own, an asset's page the sessions held there, the
// sessions list where each was and how many came — and the worker can choose herself, as
// "Me", to facilitate a session or own an action.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { Action } from '../../shared/domain';
import { mergeRecords } from '../../main/data-service/team/merge';
import type { Workspace } from '../../main/data-service/workspace';
import { expect, expectNoSeriousViolations, expectSaved, openSection, test, type TestHarness } from './fixtures';

test.beforeAll(async ({ harness }) => {
  seed(harness.service.workspace);
});

const HALL = 'St Mary’s Hall';
const action = (text: string, ownerId: string, status: Action['status'], dueDate: string | null): Action => ({ id: randomUUID(), text, ownerId, dueDate, status });

/**
 * Maggie came to twelve coffee mornings at the hall and facilitated a planning meeting
 * with two actions of hers; a duplicate of her, since merged into her, came to one more.
 * Written through the workspace's own write path: typing fourteen sessions would hide what is tested.
 */
function seed(ws: Workspace): void {
  // Each may be counted in evaluation figures (how many came): the default settings' public task allows it.
  const counted = { lawfulBasis: { basis: 'Public task', since: '2025-01-01', note: '' } };
  const maggie = ws.create('contact', { name: "Maggie O'Brien", ...counted });
  const margaret = ws.create('contact', { name: "Margaret O'Brien", ...counted });
  const tom = ws.create('contact', { name: 'Tom Hughes', ...counted });
  const hall = ws.create('asset', { name: HALL, category: 'physical' });
  ws.create('asset', { name: 'Central Library', category: 'institution' });
  ws.createMany(
    'session',
    Array.from({ length: 12 }, (_, i) => ({
      data: {
        title: `Coffee morning ${i + 1}`,
        type: 'drop-in' as const,
        startsAt: `2026-01-${String(i + 1).padStart(2, '0')}T10:00`,
        venueId: hall.id,
        attendeeIds: [maggie.id, tom.id],
        anonymousHeadCount: 8,
      },
    })),
  );
  ws.create('session', {
    title: 'Lunch club planning',
    type: 'workshop',
    startsAt: '2026-02-03T14:00',
    facilitatorIds: [maggie.id],
    attendeeIds: [tom.id],
    actions: [action('Book the back room', maggie.id, 'open', '2026-02-10'), action('Ask the café about soup', maggie.id, 'done', null), action('Print flyers', tom.id, 'open', null)],
  });
  ws.create('session', { title: 'Knit and natter', type: 'drop-in', startsAt: '2026-01-20T10:00', attendeeIds: [margaret.id] });
  mergeRecords(ws, { kind: 'contact', survivorId: maggie.id, mergedIds: [margaret.id], choices: {} });
}

const matches = (page: Page) => page.getByRole('listbox', { name: 'Matching records' }).getByRole('option');

async function openRecord(page: Page, harness: TestHarness, section: string, name: string): Promise<void> {
  await page.goto(harness.url);
  await openSection(page, section);
  await page.getByRole('link', { name: new RegExp(name) }).first().click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

test("a contact's page lists the sessions they came to or facilitated, a page at a time, and the actions they own with status", async ({ page, harness }) => {
  await openRecord(page, harness, 'Contacts', "Maggie O'Brien");
  const sessions = page.getByRole('region', { name: /^Sessions/ });
  await expect(sessions.getByRole('heading')).toHaveText('Sessions (14)');
  const rows = sessions.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText('Lunch club planning');
  await expect(rows.first()).toContainText('Facilitated');
  await expect(rows.first()).toContainText('2 came (all named)');
  // Her merged duplicate's session is hers now.
  await expect(rows.nth(1)).toContainText('Knit and natter');
  await expect(rows.nth(1)).toContainText('Came');
  await expect(rows.nth(2)).toContainText('Coffee morning 12');
  await expect(rows.nth(2)).toContainText(`at ${HALL}`);
  await expect(rows.nth(2)).toContainText('10 came (2 named + 8 head-count)');

  const older = sessions.getByRole('button', { name: 'Older' });
  await older.focus();
  await older.press('Enter');
  await expect(sessions.getByRole('status')).toHaveText('Sessions 11–14 of 14');
  await expect(rows).toHaveCount(4);
  await expect(rows.last()).toContainText('Coffee morning 1');
  // The last page: Older does nothing more, and keeps the focus of whoever pressed it.
  await expect(older).toHaveAttribute('aria-disabled', 'true');
  await older.press('Enter');
  await expect(older).toBeFocused();
  await expect(sessions.getByRole('status')).toHaveText('Sessions 11–14 of 14');

  const actions = page.getByRole('region', { name: /^Actions they own/ });
  await expect(actions.getByRole('heading')).toHaveText('Actions they own (2)');
  const booking = actions.getByRole('listitem').filter({ hasText: 'Book the back room' });
  await expect(booking).toContainText('Open');
  await expect(booking).toContainText('Overdue: was due 10 Feb 2026');
  await expect(actions.getByRole('listitem').filter({ hasText: 'Ask the café about soup' })).toContainText('Done');
  await expect(actions.getByText('Print flyers')).toHaveCount(0);
  // Reviewed by eye.
  await page.screenshot({ path: test.info().outputPath('contact-sessions-actions.png') });
  await expectNoSeriousViolations(page, 'contact page with sessions and actions');

  await booking.getByRole('link', { name: 'Lunch club planning' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lunch club planning' })).toBeVisible();
});

test("an asset's page lists the sessions held there", async ({ page, harness }) => {
  await openRecord(page, harness, 'Assets', HALL);
  const sessions = page.getByRole('region', { name: /^Sessions held here/ });
  await expect(sessions.getByRole('heading')).toHaveText('Sessions held here (12)');
  await expect(sessions.getByRole('listitem').first()).toContainText('Coffee morning 12');
  await expect(sessions.getByRole('listitem').first()).toContainText('Drop in');
  await expect(sessions.getByRole('listitem').first()).toContainText('10 came (2 named + 8 head-count)');

  await openRecord(page, harness, 'Assets', 'Central Library');
  await expect(page.getByRole('region', { name: /^Sessions held here/ })).toContainText('No session has been held here yet.');
});

test('the sessions list shows where each session was and how many came', async ({ page, harness }) => {
  await page.goto(harness.url);
  await openSection(page, 'Sessions');
  const coffee = page.getByRole('listitem').filter({ hasText: 'Coffee morning 12' });
  await expect(coffee).toContainText(`Drop in · at ${HALL}`);
  await expect(coffee).toContainText('10 came (2 named + 8 head-count)');
  await expect(page.getByRole('listitem').filter({ hasText: 'Knit and natter' })).toContainText('1 came (all named)');

  // A renamed venue is read again.
  const hall = harness.service.workspace.list({ kind: 'asset', filter: { titlePrefix: 'St Mary' } }).rows[0]!;
  harness.service.workspace.update('asset', hall.id, { name: 'St Mary’s Community Hall' });
  await expect(coffee).toContainText('Drop in · at St Mary’s Community Hall');
  harness.service.workspace.update('asset', hall.id, { name: HALL });
  await expect(coffee).toContainText(`Drop in · at ${HALL}`);
  // Reviewed by eye.
  await page.screenshot({ path: test.info().outputPath('sessions-list.png') });
});

test('the worker chooses herself as "Me" to facilitate a session and own an action, and finds both on her own page', async ({ page, harness }) => {
  harness.service.workspace.create('session', { title: 'Walking group start', type: 'event', startsAt: '2026-03-01T11:00' });
  await openRecord(page, harness, 'Sessions', 'Walking group start');

  const facilitators = page.getByRole('combobox', { name: 'Facilitators' });
  await facilitators.focus();
  const me = page.getByRole('option', { name: 'Me (Asha Patel)' });
  await expect(matches(page).first()).toHaveText('Me (Asha Patel)');
  await expect(facilitators).toHaveAttribute('aria-activedescendant', (await me.getAttribute('id'))!);
  await facilitators.press('Enter');
  await expect(page.getByRole('list', { name: 'Facilitators' }).getByRole('link', { name: 'Asha Patel' })).toBeVisible();
  await expectSaved(page);

  await page.getByLabel('What will happen').fill('Map the canal path');
  await page.getByRole('button', { name: 'Add action' }).click();
  await page.getByRole('combobox', { name: 'Owner' }).click();
  await expect(matches(page).first()).toHaveText('Me (Asha Patel)');
  await page.getByRole('option', { name: 'Me (Asha Patel)' }).click();
  await expect(page.getByRole('button', { name: 'Remove owner Asha Patel' })).toBeVisible();
  await expectSaved(page);

  await page.getByRole('list', { name: 'Facilitators' }).getByRole('link', { name: 'Asha Patel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Asha Patel' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Staff' })).toBeChecked();
  const sessions = page.getByRole('region', { name: /^Sessions/ });
  await expect(sessions.getByRole('listitem').filter({ hasText: 'Walking group start' })).toContainText('Facilitated');
  await expect(page.getByRole('region', { name: /^Actions they own/ }).getByRole('listitem')).toContainText(['Map the canal path']);

  // Chosen twice, stored once.
  await openSection(page, 'Contacts');
  await page.getByLabel('Name starts with').fill('Asha');
  await expect(page.getByText('1 contact', { exact: true })).toBeVisible();
});
