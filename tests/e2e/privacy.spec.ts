// Consent that acts, as a team uses it: the lead sets what a consent purpose allows, a worker
// records a person's consent to it and withdraws it through the confirmation that says what
// will follow, and the asset export leaves the person's details out from then on (and the
// sessions' figures leave them out). A lead
// sees the people held without consent or lawful basis, and works through the retention
// review, keeping people for another period in bulk with the reason recorded.
import type { Browser, Page } from '@playwright/test';
import { expect, expectNoSeriousViolations, expectSaved, exportAs, openExport, test, type TestHarness } from './fixtures';

const SHARING = 'Share details with partner organisations';

async function openPage(browser: Browser, harness: TestHarness, hash = ''): Promise<Page> {
  // A context of its own, with the configured viewport (axe needs a context it made).
  const context = await browser.newContext({ viewport: test.info().project.use.viewport ?? null });
  const page = await context.newPage();
  await page.goto(`${harness.url}${hash}`);
  return page;
}

test('the lead sets what a purpose allows; a worker records consent to it, withdraws it as the dialog explains, and the export leaves the person out', async ({ browser, lead, worker }) => {
  const leadPage = await openPage(browser, lead, '#/settings');
  const settings = leadPage.getByRole('form', { name: 'Privacy settings' });
  const sharing = settings.getByRole('group', { name: SHARING, exact: true });
  await sharing.getByRole('checkbox', { name: 'Include in evaluation' }).check();
  await expectNoSeriousViolations(leadPage, 'settings (lead)');
  const retention = settings.getByLabel('Review records this many months after last contact');
  await retention.fill('0');
  await settings.getByRole('button', { name: 'Save privacy settings' }).click();
  await expect(settings.getByText('must be at least 1 month')).toBeVisible();
  await retention.fill('24');
  await settings.getByRole('button', { name: 'Save privacy settings' }).click();
  await expect(leadPage.getByRole('status').filter({ hasText: 'Privacy settings saved for the whole team.' })).toBeVisible();
  await lead.service.sync.syncNow();
  await worker.service.sync.syncNow();

  const ws = worker.service.workspace;
  const priya = ws.create('contact', { name: 'Priya Shah', phone: '07700 900555', email: 'priya@example.org' });
  ws.create('asset', { name: 'Community garden', category: 'physical', contactPersonId: priya.id });
  ws.create('session', { title: 'Garden open day', type: 'event', startsAt: '2026-11-01T10:00', attendeeIds: [priya.id], anonymousHeadCount: 4 });
  const sessionFigure = async (text: string) => {
    await page.goto(`${worker.url}#/sessions`);
    await expect(page.getByRole('listitem').filter({ hasText: 'Garden open day' })).toContainText(text);
  };

  // The worker reads the lead's settings and cannot change them.
  const page = await openPage(browser, worker, '#/settings');
  await expect(page.getByRole('region', { name: 'Privacy' })).toContainText(`${SHARING} — allows: Share their details with partners; Include in evaluation`);
  await expect(page.getByRole('button', { name: 'Save privacy settings' })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'settings (worker)');

  await page.goto(`${worker.url}#/contacts/${priya.id}`);
  await expect(page.getByRole('note', { name: 'No lawful ground' })).toContainText('No consent or lawful basis recorded.');
  const addConsent = page.getByRole('group', { name: 'Record consent' });
  await addConsent.getByLabel('Purpose').selectOption({ label: SHARING });
  await expect(addConsent).toContainText('Wording shown: “We will share your name, phone number and email');
  await addConsent.getByRole('button', { name: 'Record consent' }).click();
  await expectSaved(page);
  await expect(page.getByRole('note', { name: 'No lawful ground' })).toHaveCount(0);
  const consent = page.getByRole('region', { name: 'Consent' });
  await expect(consent).toContainText('Their details may be used today for: Share their details with partners; Include in evaluation.');

  await page.goto(`${worker.url}#/assets`);
  expect((await exportAs(page, await openExport(page, 'Export assets'), /CSV/)).text).toContain('07700 900555');
  await sessionFigure('5 came (1 named + 4 head-count)');

  await page.goto(`${worker.url}#/contacts/${priya.id}`);
  await page.getByRole('button', { name: `Withdraw consent for ${SHARING}` }).click();
  const dialog = page.getByRole('dialog', { name: `Withdraw consent for ${SHARING}?` });
  await expect(dialog.getByRole('heading', { name: 'What will follow for Priya Shah' })).toBeVisible();
  await expect(dialog).toContainText(
    'Their name, phone and email will no longer be in exports shared with partners; and they will not be counted in evaluation figures (how many came to sessions).',
  );
  await dialog.getByLabel('How they told us').selectOption({ label: 'By phone' });
  await expectNoSeriousViolations(page, 'withdrawal dialog');
  await page.screenshot({ path: test.info().outputPath('withdraw-dialog.png') });
  await dialog.getByRole('button', { name: 'Withdraw consent' }).click();
  await expectSaved(page);
  await expect(consent.locator('s', { hasText: SHARING })).toBeVisible();
  await expect(consent).toContainText('Withdrawn by phone, recorded by Sam Jones');
  await expect(page.getByRole('note', { name: 'No lawful ground' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'History' })).toContainText(`recorded that consent for “${SHARING}” was withdrawn on`);
  await expect(page.getByRole('region', { name: 'History' })).toContainText('by phone, recorded by Sam Jones');

  await page.goto(`${worker.url}#/assets`);
  const csv = (await exportAs(page, await openExport(page, 'Export assets'), /CSV/)).text;
  expect(csv).toContain('Community garden');
  for (const detail of ['Priya Shah', '07700 900555', 'priya@example.org']) expect(csv).not.toContain(detail);
  await sessionFigure('4 came (head-count) · 1 more not counted (no consent to evaluation)');
});

test('a lead sees who is held without consent or lawful basis, and a basis recorded takes them off', async ({ browser, freshHarness: harness }) => {
  const ws = harness.service.workspace;
  const gil = ws.create('contact', { name: 'Gil Nothing' });
  ws.create('contact', { name: 'Ida Basis', lawfulBasis: { basis: 'Public task', since: '2026-01-01', note: '' } });
  ws.create('contact', { name: 'Kind Org', type: 'organisation' });
  const page = await openPage(browser, harness);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();
  const flagged = page.getByRole('list', { name: 'People held without consent or lawful basis' });
  await expect(flagged.getByRole('listitem')).toHaveText(['Gil Nothing']);
  await expectNoSeriousViolations(page, 'privacy screen');

  await flagged.getByRole('link', { name: 'Gil Nothing' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Gil Nothing' })).toBeVisible();
  const basis = page.getByRole('group', { name: 'Record a lawful basis besides consent' });
  await basis.getByLabel('Lawful basis').selectOption('Legitimate interests');
  await basis.getByLabel('Note (optional)').fill('Tenant referred by the housing partner');
  await basis.getByRole('button', { name: 'Record lawful basis' }).click();
  await expectSaved(page);
  await expect(page.getByRole('region', { name: 'Consent' })).toContainText('Legitimate interests since');
  await expect(page.getByRole('note', { name: 'No lawful ground' })).toHaveCount(0);
  await page.goto(`${harness.url}#/privacy`);
  await expect(page.getByText('Everyone is held with a consent that counts today or a lawful basis.')).toBeVisible();
  expect(ws.get('contact', gil.id).data.lawfulBasis?.basis).toBe('Legitimate interests');
});

test('the retention review lists people past the period since last contact, and keeps them for another period in bulk with the reason', async ({ browser, freshHarness: harness }) => {
  const ws = harness.service.workspace;
  const dan = ws.create('contact', { name: 'Dan Quiet', lawfulBasis: { basis: 'Public task', since: '2026-01-01', note: '' } });
  ws.create('contact', { name: 'Eve Quiet', lawfulBasis: { basis: 'Public task', since: '2026-01-01', note: '' } });
  ws.create('contact', { name: 'Kind Org', type: 'organisation' });
  const context = await browser.newContext({ viewport: test.info().project.use.viewport ?? null });
  const page = await context.newPage();
  // Three years on, as the device's calendar sees it: everyone added today is past the 24 months since.
  await page.clock.setFixedTime(new Date(Date.now() + 3 * 365 * 86_400_000));
  await page.goto(`${harness.url}#/privacy`);
  const review = page.getByRole('region', { name: 'Review' });
  const past = review.getByRole('table', { name: 'Past the retention period' });
  await expect(past.getByRole('row')).toHaveCount(3);
  await expect(past).toContainText('Dan Quiet');
  await expect(past).toContainText('Eve Quiet');
  await expect(past).not.toContainText('Kind Org');
  await expectNoSeriousViolations(page, 'retention review');

  await past.getByRole('checkbox', { name: 'Choose everyone past the retention period' }).check();
  await review.getByRole('button', { name: 'Keep for another period (2)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Keep 2 people for another period' });
  await dialog.getByRole('button', { name: 'Keep for another period' }).click();
  await expect(dialog.getByText('Reason is required')).toBeVisible();
  await dialog.getByLabel('Reason').fill('Both are on the winter support plan');
  await expectNoSeriousViolations(page, 'keep dialog');
  await dialog.getByRole('button', { name: 'Keep for another period' }).click();
  await expect(review.getByRole('status').filter({ hasText: /^Kept 2 people until / })).toBeVisible();
  await expect(review.getByText('No one is past the retention period since their last contact.')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('retention-review.png') });

  await page.goto(`${harness.url}#/contacts/${dan.id}`);
  await expect(page.getByRole('region', { name: 'Consent' })).toContainText('Kept for another period until');
  await expect(page.getByRole('region', { name: 'History' })).toContainText('decided by Asha Patel on');
  await expect(page.getByRole('region', { name: 'History' })).toContainText('“Both are on the winter support plan”');
  expect(ws.get('contact', dan.id).data.retention?.reason).toBe('Both are on the winter support plan');
});
