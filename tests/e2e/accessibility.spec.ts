// Every screen, checked by axe against WCAG 2.2 A and AA: no serious or critical
// violation anywhere — first run, each list (empty and full), each record page, the
// dialogs, the search palette and the actions view.
import { randomUUID } from 'node:crypto';
import { TEST_PASSPHRASE } from '../unit/helpers';
import { expect, expectNoSeriousViolations, test } from './fixtures';

test.use({ firstRunAs: null });
test.describe.configure({ mode: 'serial' });

test('first run', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(page.getByRole('button', { name: 'Create workspace' })).toBeVisible();
  await expectNoSeriousViolations(page, 'first run');
  // With the data service's messages showing, too.
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('Your name is required')).toBeVisible();
  await expectNoSeriousViolations(page, 'first run with errors');
});

test('empty lists and the new-record dialogs', async ({ page, harness }) => {
  await harness.service.setup('Asha Patel', 'Moss Side Connections', TEST_PASSPHRASE);
  for (const [section, kind] of [
    ['assets', 'asset'],
    ['contacts', 'contact'],
    ['sessions', 'session'],
    ['connections', 'connection'],
  ] as const) {
    await page.goto(`${harness.url}#/${section}`);
    await expect(page.getByText(`0 ${kind}s`)).toBeVisible();
    await expectNoSeriousViolations(page, `empty ${section} list`);
    await page.getByRole('button', { name: `New ${kind}` }).first().click();
    await expect(page.getByRole('dialog', { name: `New ${kind}` })).toBeVisible();
    await expectNoSeriousViolations(page, `new ${kind} dialog`);
  }
  await page.goto(`${harness.url}#/actions`);
  await expect(page.getByRole('heading', { name: 'No open actions' })).toBeVisible();
  await expectNoSeriousViolations(page, 'empty actions view');
});

test('full lists, every record page, the search palette and the actions view', async ({ page, harness }) => {
  const ws = harness.service.workspace;
  const zoe = ws.create('contact', {
    name: 'Zoë Brown',
    roles: ['resident', 'champion'],
    themes: ['food', 'loneliness'],
    email: 'zoe@example.org',
    skills: [{ id: randomUUID(), domain: 'Food', skill: 'Baking bread', has: true, wantsToLearn: false, willingToShare: true }],
    consents: [
      { id: randomUUID(), purpose: 'Contact about local events', wordingVersion: 'v2', givenAt: '2026-01-10', method: 'written', withdrawnAt: null },
      { id: randomUUID(), purpose: 'Photos in the newsletter', wordingVersion: 'v2', givenAt: '2026-01-10', method: 'verbal', withdrawnAt: '2026-02-01' },
    ],
  });
  const hall = ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical', themes: ['loneliness'], postcode: 'M14 5TQ', contactPersonId: zoe.id });
  const link = ws.create('connection', { fromId: zoe.id, toId: hall.id, kind: 'volunteers-at', date: '2026-01-10', note: 'Runs the Tuesday café' });
  const session = ws.create('session', {
    title: 'Coffee morning conversation',
    type: 'community-conversation',
    startsAt: '2026-01-15T10:00',
    venueId: hall.id,
    attendeeIds: [zoe.id],
    anonymousHeadCount: 4,
    notes: 'People want somewhere warm to meet.',
    priorities: [{ id: randomUUID(), text: 'Somewhere warm to meet', theme: 'loneliness' }],
    actions: [
      { id: randomUUID(), text: 'Ask the library about the back room', ownerId: zoe.id, dueDate: '2020-01-31', status: 'open' },
      { id: randomUUID(), text: 'Book the hall', ownerId: null, dueDate: null, status: 'done' },
    ],
  });
  ws.update('contact', zoe.id, { phone: '0161 496 0000' });

  for (const section of ['assets', 'contacts', 'sessions', 'connections']) {
    await page.goto(`${harness.url}#/${section}`);
    await expect(page.getByRole('listitem').first().getByRole('link')).toBeVisible();
    await expectNoSeriousViolations(page, `${section} list`);
  }

  for (const [section, id, title] of [
    ['assets', hall.id, 'St Mary’s Church Hall'],
    ['contacts', zoe.id, 'Zoë Brown'],
    ['sessions', session.id, 'Coffee morning conversation'],
    ['connections', link.id, 'volunteers-at'],
  ] as const) {
    await page.goto(`${harness.url}#/${section}/${id}`);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole('region', { name: 'History' }).getByRole('listitem').first()).toBeVisible();
    await expectNoSeriousViolations(page, `${section} page`);
  }

  // A record page with a validation message and its summary showing.
  await page.goto(`${harness.url}#/contacts/${zoe.id}`);
  await page.getByLabel('Email').fill('not an email');
  await expect(page.getByRole('alert').getByText('Email must be an email address')).toBeVisible();
  await expectNoSeriousViolations(page, 'contact page with a validation message');

  // A deleted record.
  await page.goto(`${harness.url}#/assets/${hall.id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('button', { name: 'Restore' })).toBeVisible();
  await expectNoSeriousViolations(page, 'deleted asset page');
  await page.getByRole('button', { name: 'Restore' }).click();

  await page.getByRole('button', { name: 'Connect to…' }).click();
  await expect(page.getByRole('dialog', { name: /Connect/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Contact or asset' }).fill('zo');
  await expect(page.getByRole('option', { name: /Zoë Brown/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'connect-to dialog with suggestions');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Search' }).getByRole('combobox').fill('warm');
  await expect(page.getByRole('option').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'search palette');
  await page.keyboard.press('Escape');

  for (const tab of ['open', 'overdue', 'done']) {
    await page.goto(`${harness.url}#/actions/${tab}`);
    await expect(page.getByRole('tabpanel').getByRole('row').nth(1)).toBeVisible();
    await expectNoSeriousViolations(page, `actions view, ${tab}`);
  }
});
