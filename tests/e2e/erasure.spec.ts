// Erasing a person as a lead does it: the dialog says what will happen and lists the
// mentions of their name to redact, erases only once the name is typed, a notice says what
// was done and the erasure log has a line naming no one; after sync the worker's device no
// longer lists them.
import type { Browser, Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { expect, expectNoSeriousViolations, openSection, test, type TestHarness } from './fixtures';

async function openPage(browser: Browser, harness: TestHarness, hash = ''): Promise<Page> {
  // A context of its own, with the configured viewport (axe needs a context it made).
  const context = await browser.newContext({ viewport: test.info().project.use.viewport ?? null });
  const page = await context.newPage();
  await page.goto(`${harness.url}${hash}`);
  return page;
}

test('a lead erases a person through the dialog, typing their name; after sync the worker no longer lists them', async ({ browser, lead, worker }) => {
  const ws = lead.service.workspace;
  const maggie = ws.create('contact', { name: 'Maggie Quillfeather', phone: '07700 900461', notes: 'Knits for the lilac ward' });
  const dev = ws.create('contact', { name: 'Dev Sharma' });
  const session = ws.create('session', {
    title: 'Knit and natter',
    type: 'drop-in',
    startsAt: '2026-11-02T10:00',
    attendeeIds: [maggie.id, dev.id],
    actions: [{ id: randomUUID(), text: 'Book the hall', ownerId: maggie.id, dueDate: null, status: 'open' }],
  });
  ws.create('contact', { name: 'Sam Ode', notes: 'Came with Maggie Quillfeather' });
  await lead.service.sync.syncNow();
  await worker.service.sync.syncNow();

  const workerPage = await openPage(browser, worker, '#/contacts');
  await expect(workerPage.getByRole('link', { name: /Maggie Quillfeather/ })).toBeVisible();
  await workerPage.goto(`${worker.url}#/contacts/${maggie.id}`);
  await expect(workerPage.getByRole('heading', { name: 'Maggie Quillfeather', level: 1 })).toBeVisible();
  await expect(workerPage.getByRole('button', { name: 'Erase this person…' })).toHaveCount(0);

  const page = await openPage(browser, lead, `#/contacts/${maggie.id}`);
  const dialog = page.getByRole('dialog', { name: 'Erase Maggie Quillfeather' });
  // Cancel leaves everything as it was.
  await page.getByRole('button', { name: 'Erase this person…' }).click();
  await expect(dialog.getByRole('heading', { name: 'What will happen' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Maggie Quillfeather', level: 1 })).toBeVisible();
  expect(ws.erasures.entries()).toEqual([]);

  await page.getByRole('button', { name: 'Erase this person…' }).click();
  await expect(dialog.getByText('1 session named them as attendee or facilitator')).toBeVisible();
  await expect(dialog.getByText(/1 action they own will have no owner.*“Book the hall” \(Knit and natter\)/)).toBeVisible();
  await expect(dialog.getByRole('status').filter({ hasText: '1 other record names them in free text' })).toBeVisible();
  await expect(dialog.getByRole('link', { name: 'Sam Ode' })).toBeVisible();
  await expectNoSeriousViolations(page, 'erase dialog');

  await dialog.getByRole('textbox', { name: /Type their name/ }).fill('Maggie');
  await dialog.getByRole('button', { name: 'Erase for good' }).click();
  await expect(dialog.getByText(/type their name exactly as shown, “Maggie Quillfeather”/)).toBeVisible();
  await dialog.getByRole('textbox', { name: /Type their name/ }).fill('Maggie Quillfeather');
  await dialog.getByRole('button', { name: 'Erase for good' }).click();

  const notice = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Maggie Quillfeather was erased' }) });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('1 session counts them in the head-count now');
  await expect(notice.getByRole('link', { name: 'Knit and natter' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Maggie Quillfeather/ })).toHaveCount(0);

  await openSection(page, 'Privacy');
  const erasures = page.getByRole('region', { name: 'Erasures' });
  const row = erasures.getByRole('row').nth(1);
  await expect(row).toContainText('Asha Patel');
  await expect(erasures.getByRole('table')).not.toContainText('Quillfeather');
  await expectNoSeriousViolations(page, 'Privacy › Erasures');

  await lead.service.sync.syncNow();
  await worker.service.sync.syncNow();
  await workerPage.goto(`${worker.url}#/contacts`);
  await expect(workerPage.getByRole('link', { name: /Dev Sharma/ })).toBeVisible();
  await expect(workerPage.getByRole('link', { name: /Maggie Quillfeather/ })).toHaveCount(0);
  expect(worker.service.workspace.get('session', session.id).data.anonymousHeadCount).toBe(1);
  await page.context().close();
  await workerPage.context().close();
});
