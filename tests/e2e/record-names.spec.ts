// Names as a worker reads them: a contact renamed or merged on a colleague's device shows its
// new name in every open view that names it once sync brings the change (no reload), and the
// search palette finds names however their apostrophes and hyphens are typed, saying which
// field matched.
import type { Browser, Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mergeRecords } from '../../main/data-service/team/merge';
import { expect, expectNoSeriousViolations, openSection, test, type TestHarness } from './fixtures';

async function openPage(browser: Browser, harness: TestHarness, hash: string): Promise<Page> {
  const context = await browser.newContext({ viewport: test.info().project.use.viewport ?? null });
  const page = await context.newPage();
  await page.goto(`${harness.url}${hash}`);
  return page;
}

const connectionsCard = (page: Page) => page.getByRole('region', { name: /^Connections/ });
const chips = (page: Page, label: string) => page.getByRole('list', { name: label }).getByRole('link');
const actionOwner = (page: Page) => page.getByRole('region', { name: 'Actions' }).locator('.chosen-name');

test.describe('names follow changes synced from another device', () => {
  test.describe.configure({ mode: 'serial' });
  const pages: Page[] = [];

  test.afterEach(async () => {
    for (const page of pages.splice(0)) await page.context().close();
  });

  async function sync(lead: TestHarness, worker: TestHarness): Promise<void> {
    await lead.service.sync.syncNow();
    await worker.service.sync.syncNow();
  }

  test('a contact renamed on the lead’s device: the worker’s open Connections card, session chips and connections list say the new name', async ({ browser, lead, worker }) => {
    const ws = lead.service.workspace;
    const margaret = ws.create('contact', { name: "Margaret O'Brien" });
    const club = ws.create('asset', { name: 'Claremont Lunch Club', category: 'association' });
    ws.create('connection', { fromId: margaret.id, toId: club.id, kind: 'runs' });
    const session = ws.create('session', {
      title: 'Coffee morning',
      type: 'drop-in',
      startsAt: '2026-11-20T10:00',
      venueId: club.id,
      attendeeIds: [margaret.id],
      actions: [{ id: randomUUID(), text: 'Ask about the kitchen', ownerId: margaret.id, dueDate: null, status: 'open' }],
    });
    await sync(lead, worker);

    const contactPage = await openPage(browser, worker, `#/contacts/${margaret.id}`);
    const clubPage = await openPage(browser, worker, `#/assets/${club.id}`);
    const sessionPage = await openPage(browser, worker, `#/sessions/${session.id}`);
    const listPage = await openPage(browser, worker, '#/connections');
    pages.push(contactPage, clubPage, sessionPage, listPage);
    await expect(connectionsCard(contactPage)).toContainText("Margaret O'Brien runs Claremont Lunch Club");
    await expect(connectionsCard(clubPage)).toContainText("Margaret O'Brien runs Claremont Lunch Club");
    await expect(chips(sessionPage, 'Attendees')).toHaveText(["Margaret O'Brien"]);
    await expect(actionOwner(sessionPage)).toHaveText("Margaret O'Brien");
    await expect(listPage.getByRole('link', { name: "Margaret O'Brien — runs — Claremont Lunch Club" })).toBeVisible();

    // The rename travels with a burst of other records, which sync announces as one
    // "contacts changed" event rather than one per record.
    ws.update('contact', margaret.id, { name: "Maggie O'Brien" });
    ws.createMany('contact', Array.from({ length: 150 }, (_, i) => ({ data: { name: `Neighbour ${i + 1}` } })));
    await sync(lead, worker);

    await expect(contactPage.getByRole('heading', { level: 1, name: "Maggie O'Brien" })).toBeVisible();
    await expect(connectionsCard(contactPage)).toContainText("Maggie O'Brien runs Claremont Lunch Club");
    await expect(connectionsCard(clubPage)).toContainText("Maggie O'Brien runs Claremont Lunch Club");
    await expect(chips(sessionPage, 'Attendees')).toHaveText(["Maggie O'Brien"]);
    await expect(actionOwner(sessionPage)).toHaveText("Maggie O'Brien");
    await expect(listPage.getByRole('link', { name: "Maggie O'Brien — runs — Claremont Lunch Club" })).toBeVisible();
    await clubPage.screenshot({ path: test.info().outputPath('renamed-connections-card.png') });
  });

  test('a contact merged into another on the lead’s device: the worker’s open pages name the record it was merged into', async ({ browser, lead, worker }) => {
    const ws = lead.service.workspace;
    const bob = ws.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
    const robert = ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123' });
    const hall = ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical' });
    const connection = ws.create('connection', { fromId: robert.id, toId: hall.id, kind: 'volunteers-at' });
    const session = ws.create('session', {
      title: 'Knit and natter',
      type: 'drop-in',
      startsAt: '2026-11-21T14:00',
      facilitatorIds: [robert.id],
      actions: [{ id: randomUUID(), text: 'Bring the spare needles', ownerId: robert.id, dueDate: null, status: 'open' }],
    });
    await sync(lead, worker);

    const hallPage = await openPage(browser, worker, `#/assets/${hall.id}`);
    const sessionPage = await openPage(browser, worker, `#/sessions/${session.id}`);
    const connectionPage = await openPage(browser, worker, `#/connections/${connection.id}`);
    pages.push(hallPage, sessionPage, connectionPage);
    await expect(connectionsCard(hallPage)).toContainText('Robert Smith volunteers at St Mary’s Church Hall');
    await expect(chips(sessionPage, 'Facilitators')).toHaveText(['Robert Smith']);
    await expect(actionOwner(sessionPage)).toHaveText('Robert Smith');
    await expect(connectionPage.getByRole('link', { name: 'Robert Smith' })).toBeVisible();

    // Written through the engine: the merge screens have their own tests. Nothing that
    // refers to Robert changes; what his id stands for does.
    mergeRecords(ws, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
    await sync(lead, worker);

    await expect(connectionsCard(hallPage)).toContainText('Bob Smith volunteers at St Mary’s Church Hall');
    await expect(chips(sessionPage, 'Facilitators')).toHaveText(['Bob Smith']);
    await expect(actionOwner(sessionPage)).toHaveText('Bob Smith');
    await expect(connectionPage.getByRole('link', { name: 'Bob Smith' })).toBeVisible();
    await expect(connectionPage.getByRole('link', { name: 'Robert Smith' })).toHaveCount(0);
  });
});

test.describe('search palette', () => {
  test('finds O’Brien by “obrien” and Smith-Jones by “smith jones”, and says which field matched in words', async ({ page, freshHarness: harness }) => {
    const ws = harness.service.workspace;
    ws.create('contact', { name: "Maggie O'Brien", phone: '07700 900123', postcode: 'M14 4PQ', notes: 'Runs the lunch club kitchen' });
    ws.create('contact', { name: 'Ann Smith-Jones', email: 'ann@example.org' });
    await page.goto(harness.url);
    await openSection(page, 'Contacts');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Search' });
    const search = palette.getByRole('combobox');
    const option = (name: RegExp) => palette.getByRole('option', { name });

    for (const text of ['obrien', 'o brien', 'O’Brien']) {
      await search.fill(text);
      await expect(option(/Maggie O'Brien/)).toBeVisible();
      // The name is what matched: nothing else to show.
      await expect(option(/Maggie O'Brien/)).toHaveAccessibleName("Maggie O'Brien");
    }
    for (const text of ['smithjones', 'smith jones']) {
      await search.fill(text);
      await expect(option(/Ann Smith-Jones/)).toBeVisible();
    }

    await search.fill('07700900123');
    // What a screen reader announces for the result: the name, then the field that matched.
    await expect(option(/Maggie O'Brien/)).toHaveAccessibleName("Maggie O'Brien Phone: 07700 900123");
    await expect(option(/Maggie O'Brien/).locator('mark')).toHaveText('07700 900123');
    // Reviewed by eye; docs/screenshot-search-palette.png is a copy of it.
    await page.screenshot({ path: test.info().outputPath('search-palette.png') });
    await search.fill('m144pq');
    await expect(option(/Maggie O'Brien/)).toContainText('Postcode: M14 4PQ');
    await search.fill('maggie kitchen');
    await expect(option(/Maggie O'Brien/)).toContainText('Notes: Runs the lunch club kitchen');
    await expect(option(/Maggie O'Brien/).locator('mark')).toHaveText('kitchen');
    await expectNoSeriousViolations(page, 'search palette with a matched field');
    await palette.screenshot({ path: test.info().outputPath('search-palette-matched-field.png') });
  });
});
