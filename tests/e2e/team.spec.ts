// The team lead's tools as a lead uses them: the duplicate finder and a reversible
// field-by-field merge, the conflict inbox fed by two devices syncing through a real sync
// server, the review queue of a worker's changes, and restoring an earlier value from a
// record's history.
import type { Browser, Page } from '@playwright/test';
import { mergeRecords } from '../../main/data-service/team/merge';
import { lastWriteWins } from '../unit/helpers';
import { expect, expectNoSeriousViolations, expectSaved, openSection, test, type TestHarness } from './fixtures';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Main' });
/** A form field by its label (history's "Restore Phone to …" buttons name the field too). */
const textbox = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });
const teamLink = (page: Page, name: string) => sidebar(page).getByRole('link', { name: new RegExp(`^${name}`) });

async function openPage(browser: Browser, harness: TestHarness, hash = ''): Promise<Page> {
  // A context of its own, with the configured viewport (axe needs a context it made).
  const context = await browser.newContext({ viewport: test.info().project.use.viewport ?? null });
  const page = await context.newPage();
  await page.goto(`${harness.url}${hash}`);
  return page;
}

test.describe('on one device', () => {
  test('find → merge → unmerge: the pair is found with its reasons, merged field by field, references follow, and unmerge restores both', async ({ browser, freshHarness: harness }) => {
    const ws = harness.service.workspace;
    const bob = ws.create('contact', { name: 'Bob Smith', phone: '07700 900123', email: 'bob@example.org', roles: ['resident'] });
    const robert = ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123', email: 'robert.smith@example.org', roles: ['volunteer'] });
    const amira = ws.create('contact', { name: 'Amira Hassan', phone: '0161 496 0777' });
    const session = ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-11-20T10:00', attendeeIds: [robert.id] });
    ws.create('connection', { fromId: amira.id, toId: robert.id, kind: 'knows' });
    const page = await openPage(browser, harness);

    await expect(sidebar(page).getByRole('heading', { name: 'Team lead' })).toBeVisible();
    await teamLink(page, 'Duplicates').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Duplicates' })).toBeVisible();
    const pair = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Bob Smith' }) }).filter({ has: page.getByRole('link', { name: 'Robert Smith' }) });
    await expect(pair).toHaveCount(1);
    await expect(pair.getByRole('list', { name: 'Why' })).toContainText('same phone');
    await expect(pair.getByRole('list', { name: 'Why' })).toContainText(/bob = robert/);
    await expect(page.getByRole('link', { name: 'Amira Hassan' })).toHaveCount(0);
    await expectNoSeriousViolations(page, 'duplicates');

    await pair.getByRole('button', { name: /^Compare and merge/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Compare and merge contacts' });
    await dialog.getByRole('radio', { name: 'This record stays: Bob Smith' }).check();
    // The survivor's value is the default; the other's email is chosen instead.
    await expect(dialog.getByRole('radio', { name: 'Name from Bob Smith: “Bob Smith”' })).toBeChecked();
    await dialog.getByRole('radio', { name: /^Email from Robert Smith/ }).check();
    // Roles are joined unless one side is chosen.
    await expect(dialog.getByRole('radio', { name: 'Join all Roles' })).toBeChecked();
    // The last cell shows what the survivor will have.
    await expect(dialog.getByRole('row', { name: /^Roles/ }).getByRole('cell').last()).toHaveText(/(Volunteer, Resident|Resident, Volunteer)$/);
    await expect(dialog).toContainText('1 connection, sessions and every other reference to Robert Smith will point to Bob Smith.');
    await expectNoSeriousViolations(page, 'merge dialog');
    await dialog.screenshot({ path: test.info().outputPath('merge-dialog.png') });
    await dialog.getByRole('button', { name: 'Merge into Bob Smith' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Bob Smith' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Merged Robert Smith into this record.' })).toBeVisible();
    await expect(textbox(page, 'Email')).toHaveValue('robert.smith@example.org');
    await expect(textbox(page, 'Phone')).toHaveValue('07700 900123');
    await expect(page.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'Volunteer' })).toBeChecked();
    await expect(page.getByRole('region', { name: 'Merged records' }).getByRole('link', { name: 'Robert Smith' })).toBeVisible();
    // Robert's connection is now Bob's.
    await expect(page.getByRole('region', { name: /^Connections/ })).toContainText('Amira Hassan knows Bob Smith');

    await page.goto(`${harness.url}#/sessions/${session.id}`);
    await expect(page.getByRole('list', { name: 'Attendees' }).getByRole('link')).toHaveText(['Bob Smith']);

    await openSection(page, 'Contacts');
    await expect(page.getByText('2 contacts')).toBeVisible();
    await expect(page.getByRole('link', { name: /Robert Smith/ })).toHaveCount(0);
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Search' });
    await palette.getByRole('combobox').fill('Smith');
    await expect(palette.getByRole('option', { name: /Smith/ })).toHaveCount(1);
    await expect(palette.getByRole('option', { name: /Smith/ })).toContainText('Bob Smith');
    await page.keyboard.press('Escape');

    // The merged-away record is kept as it was, read-only, and says where it went.
    await page.goto(`${harness.url}#/contacts/${robert.id}`);
    await expect(page.getByRole('status').filter({ hasText: /^This record was merged into Bob Smith by you on/ })).toBeVisible();
    await expect(textbox(page, 'Email')).toBeDisabled();
    await page.getByRole('status').getByRole('link', { name: 'Bob Smith' }).click();

    await page.getByRole('button', { name: 'Unmerge Robert Smith' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Unmerged: Robert Smith is a record of its own again.' })).toBeVisible();
    await expect(textbox(page, 'Email')).toHaveValue('bob@example.org');
    await expect(page.getByRole('region', { name: 'Merged records' })).toHaveCount(0);
    await page.goto(`${harness.url}#/contacts/${robert.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Robert Smith' })).toBeVisible();
    await expect(textbox(page, 'Email')).toHaveValue('robert.smith@example.org');
    await expect(textbox(page, 'Email')).toBeEnabled();
    await page.goto(`${harness.url}#/sessions/${session.id}`);
    await expect(page.getByRole('list', { name: 'Attendees' }).getByRole('link')).toHaveText(['Robert Smith']);
    await openSection(page, 'Contacts');
    await expect(page.getByText('3 contacts')).toBeVisible();
    await page.context().close();
  });

  test('a lead goes past the first 200 likely pairs with "Show the next 200 pairs", and every pair is listed once', async ({ browser, freshHarness: harness }) => {
    // 230 people, each entered twice with one name and phone; names of made-up words, so no two people look alike.
    let seed = 11;
    const letter = () => String.fromCharCode(97 + ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % 26));
    const word = () => Array.from({ length: 7 }, letter).join('');
    const people = 230;
    harness.service.workspace.createMany(
      'contact',
      Array.from({ length: people }, (_, i) => {
        const data = { name: `${word()} ${word()}`, phone: `07700 ${String(200_000 + i)}` };
        return [{ data }, { data: { ...data } }];
      }).flat(),
    );
    const page = await openPage(browser, harness, '#/duplicates');
    const pairs = page.locator('.duplicate-list > li');
    await expect(page.getByRole('status').filter({ hasText: 'The 200 most alike pairs so far' })).toBeVisible();
    await expect(pairs).toHaveCount(200);
    await page.getByRole('button', { name: 'Show the next 200 pairs' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${people} likely pairs, most alike first` })).toBeVisible();
    await expect(pairs).toHaveCount(people);
    const named = await pairs.evaluateAll((items) => items.map((item) => [...item.querySelectorAll('.duplicate-record a')].map((a) => a.getAttribute('href')).sort().join(' ')));
    expect(new Set(named).size).toBe(people);
    await expect(page.getByRole('button', { name: 'Show the next 200 pairs' })).toHaveCount(0);
    await expectNoSeriousViolations(page, 'duplicates, second page');
  });

  test('a withdrawn consent reads withdrawn, with its dates, in the merge dialog and on the contact page', async ({ browser, freshHarness: harness }) => {
    const ws = harness.service.workspace;
    const consent = (purpose: string, givenAt: string, withdrawnAt: string | null) => ({
      id: crypto.randomUUID(),
      purpose,
      wordingVersion: 'v1',
      givenAt,
      method: 'verbal' as const,
      withdrawnAt,
    });
    const pat = ws.create('contact', {
      name: 'Pat Nwosu',
      phone: '07700 900321',
      consents: [consent('Photos in the newsletter', '2026-03-03', '2026-05-05')],
    });
    ws.create('contact', { name: 'Patricia Nwosu', phone: '+44 7700900321', consents: [consent('Contact about local events', '2026-04-01', null)] });
    const page = await openPage(browser, harness, '#/duplicates');
    const pair = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Pat Nwosu' }) });
    await pair.getByRole('button', { name: /^Compare and merge/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Compare and merge contacts' });
    const row = dialog.getByRole('row', { name: /^Consent/ });
    await expect(row.getByRole('cell').filter({ hasText: 'Photos in the newsletter' }).first()).toContainText(
      'consent for “Photos in the newsletter” (given on 3 Mar 2026, withdrawn on 5 May 2026)',
    );
    await expect(row.getByRole('cell').filter({ hasText: 'local events' }).first()).toContainText('consent for “Contact about local events” (given on 1 Apr 2026)');
    await expect(row.getByRole('cell').last()).toContainText('(given on 3 Mar 2026, withdrawn on 5 May 2026)');
    await dialog.screenshot({ path: test.info().outputPath('merge-dialog-consents.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${harness.url}#/contacts/${pat.id}`);
    await expect(page.getByRole('region', { name: 'Consent' })).toContainText('Verbal consent given on 3 Mar 2026, withdrawn on 5 May 2026 · wording v1');
    await page.context().close();
  });

  test('history: a field edited twice gets its earlier value back from the History panel', async ({ browser, freshHarness: harness }) => {
    const contact = harness.service.workspace.create('contact', { name: 'Dee Brown' });
    const page = await openPage(browser, harness, `#/contacts/${contact.id}`);
    await textbox(page, 'Phone').fill('0161 496 0001');
    await expectSaved(page);
    await textbox(page, 'Phone').fill('0161 496 0002');
    await expectSaved(page);
    const history = page.getByRole('region', { name: 'History' });
    await expect(history).toContainText('You changed Phone from “0161 496 0001” to “0161 496 0002”');
    const earlier = history.getByRole('listitem').filter({ hasText: 'You set Phone to “0161 496 0001”' });
    await expect(earlier.getByRole('button', { name: 'Restore this value' })).toHaveAccessibleDescription(/You set Phone to “0161 496 0001”/);
    await earlier.getByRole('button', { name: 'Restore this value' }).click();
    const confirm = page.getByRole('dialog', { name: 'Restore Phone?' });
    await expect(confirm.getByRole('definition')).toHaveText(['“0161 496 0002”', '“0161 496 0001”']);
    await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(textbox(page, 'Phone')).toHaveValue('0161 496 0001');
    await expect(history.getByRole('listitem').first()).toContainText('You changed Phone from “0161 496 0002” to “0161 496 0001”');
    await page.context().close();
  });

  test('history: restoring "added Maggie" to a session brings back only her, after a preview that names her, and Undo takes it back', async ({ browser, freshHarness: harness }) => {
    const ws = harness.service.workspace;
    const people = ["Maggie O'Brien", 'Bob Smith', 'Carol Jones'];
    for (const name of people) ws.create('contact', { name });
    const session = ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-11-20T10:00' });
    const page = await openPage(browser, harness, `#/sessions/${session.id}`);
    const attendees = page.getByRole('list', { name: 'Attendees' }).getByRole('listitem');
    for (const [added, name] of people.entries()) {
      await page.getByRole('combobox', { name: /Attendees/ }).fill(name.split(' ')[0]!);
      await page.getByRole('option', { name }).click();
      await expect(attendees).toHaveCount(added + 1);
      await expectSaved(page);
    }
    await page.getByRole('button', { name: "Remove Maggie O'Brien from attendees" }).click();
    await expect(attendees).toHaveCount(2);
    await expectSaved(page);

    const history = page.getByRole('region', { name: 'History' });
    await expect(history.getByRole('listitem').first()).toContainText("You removed Maggie O'Brien from Attendees");
    // One entry per person, oldest at the bottom: the first one is Maggie's.
    const first = history.getByRole('listitem').filter({ hasText: "You added Maggie O'Brien to Attendees" });
    await expect(history.getByRole('listitem').filter({ hasText: 'You added Bob Smith to Attendees' })).toHaveCount(1);
    await first.getByRole('button', { name: 'Restore this value' }).click();

    const confirm = page.getByRole('dialog', { name: 'Restore Attendees?' });
    await expect(confirm).toContainText("The history will then read: “You added Maggie O'Brien to Attendees”.");
    await expect(confirm.getByRole('definition').first()).toHaveText(/^(Bob Smith, Carol Jones|Carol Jones, Bob Smith)$/);
    await expect(confirm.getByRole('definition').last()).toContainText("Maggie O'Brien");
    await expectNoSeriousViolations(page, 'restore preview');
    await confirm.screenshot({ path: test.info().outputPath('restore-preview.png') });
    await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(confirm).toHaveCount(0);

    await expect(attendees).toHaveCount(3);
    for (const name of people) await expect(attendees.filter({ hasText: name })).toHaveCount(1);
    await expect(history.getByRole('listitem').first()).toContainText("You added Maggie O'Brien to Attendees");

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(attendees).toHaveCount(2);
    await expect(attendees.filter({ hasText: "Maggie O'Brien" })).toHaveCount(0);
    await expect(history.getByRole('listitem').first()).toContainText("You removed Maggie O'Brien from Attendees");
    await page.context().close();
  });
});

test.describe('two devices through a sync server', () => {
  test.describe.configure({ mode: 'serial' });
  test('conflict inbox: two devices set the same phone offline; the lead sees both values and authors, uses the other, and it moves to Resolved', async ({ browser, lead, worker }) => {
    const contact = lead.service.workspace.create('contact', { name: 'Dee Brown', phone: '0161 496 0000' });
    await lead.service.sync.syncNow();
    await worker.service.sync.syncNow();
    const leadPage = await openPage(browser, lead, `#/contacts/${contact.id}`);
    const workerPage = await openPage(browser, worker, `#/contacts/${contact.id}`);
    // Workers have no team tools.
    await expect(sidebar(workerPage).getByRole('heading', { name: 'Team lead' })).toHaveCount(0);

    // Both offline: each sets the phone, neither sees the other's.
    lead.service.sync.cancel();
    worker.service.sync.cancel();
    await textbox(leadPage, 'Phone').fill('0161 496 0001');
    await expectSaved(leadPage);
    await textbox(workerPage, 'Phone').fill('0161 496 0002');
    await expectSaved(workerPage);
    await worker.service.sync.syncNow();
    await lead.service.sync.syncNow();
    await worker.service.sync.syncNow();

    await expect(teamLink(leadPage, 'Conflicts')).toHaveAccessibleName(/^Conflicts 1 open$/);
    await teamLink(leadPage, 'Conflicts').click();
    await expect(leadPage.getByRole('heading', { level: 1, name: 'Conflicts' })).toBeVisible();
    const entry = leadPage.getByRole('article', { name: 'Phone of Dee Brown' });
    await expect(entry).toContainText('Two people changed this at the same time');
    await expect(entry).toContainText('“0161 496 0001”');
    await expect(entry).toContainText('“0161 496 0002”');
    await expect(entry).toContainText('You');
    await expect(entry).toContainText('Sam Jones');
    await expectNoSeriousViolations(leadPage, 'conflict inbox');
    await leadPage.screenshot({ path: test.info().outputPath('conflict-inbox.png') });

    const kept = (await entry.getByRole('definition').first().textContent()) ?? '';
    const other = kept.includes('0161 496 0001') ? '0161 496 0002' : '0161 496 0001';
    await entry.getByRole('button', { name: new RegExp(`^Use this value: Phone “${other}”`) }).click();
    await expect(entry).toHaveCount(0);
    await expect(leadPage.getByRole('heading', { name: 'No open conflicts' })).toBeVisible();
    await expect(teamLink(leadPage, 'Conflicts')).toHaveAccessibleName('Conflicts');

    await leadPage.getByRole('tab', { name: 'Resolved' }).click();
    await expect(leadPage.getByRole('article', { name: 'Phone of Dee Brown' })).toContainText(`Resolved by you on`);
    await expect(leadPage.getByRole('article', { name: 'Phone of Dee Brown' })).toContainText(`“${other}”`);
    await expectNoSeriousViolations(leadPage, 'conflict inbox, resolved');
    await leadPage.screenshot({ path: test.info().outputPath('conflict-inbox-resolved.png') });

    await leadPage.getByRole('link', { name: 'Dee Brown' }).click();
    await expect(textbox(leadPage, 'Phone')).toHaveValue(other);
    await leadPage.context().close();
    await workerPage.context().close();
  });

  test('conflict inbox: a worker edits a record offline after the lead merged it away; the lead copies the edit to the survivor', async ({ browser, lead, worker }) => {
    const bob = lead.service.workspace.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
    const robert = lead.service.workspace.create('contact', { name: 'Robert Smith', phone: '+44 7700900123' });
    await lead.service.sync.syncNow();
    await worker.service.sync.syncNow();
    worker.service.sync.cancel();
    // Written through the engine: the merge screens are covered on one device above.
    mergeRecords(lead.service.workspace, { kind: 'contact', survivorId: bob.id, mergedIds: [robert.id], choices: {} });
    await lead.service.sync.syncNow();
    worker.service.workspace.update('contact', robert.id, { phone: '0161 496 0999' });
    await worker.service.sync.syncNow();
    await lead.service.sync.syncNow();

    const page = await openPage(browser, lead, '#/conflicts');
    const entry = page.getByRole('article', { name: 'Phone of Robert Smith' });
    await expect(entry).toContainText('Sam Jones edited Robert Smith after it was merged into Bob Smith.');
    await expect(entry).toContainText('“0161 496 0999”');
    await expectNoSeriousViolations(page, 'conflict inbox, edited after merge');
    await page.screenshot({ path: test.info().outputPath('conflict-edited-after-merge.png') });
    await entry.getByRole('button', { name: /^Copy to Bob Smith/ }).click();
    await expect(entry).toHaveCount(0);
    await page.goto(`${lead.url}#/contacts/${bob.id}`);
    await expect(textbox(page, 'Phone')).toHaveValue('0161 496 0999');
    await page.context().close();
  });

  test('review queue: the lead sees what the worker changed, before and after, and marks it reviewed', async ({ browser, lead, worker }) => {
    const contact = worker.service.workspace.create('contact', { name: 'Kwame Mensah', email: 'kwame@example.org' });
    worker.service.workspace.create('contact', { name: 'Lena Fischer' });
    await worker.service.sync.syncNow();
    await lead.service.sync.syncNow();
    worker.service.workspace.update('contact', contact.id, { email: 'kwame.mensah@example.org' });
    await worker.service.sync.syncNow();
    await lead.service.sync.syncNow();
    const page = await openPage(browser, lead, '#/review');
    await expect(page.getByRole('heading', { level: 1, name: 'Review changes' })).toBeVisible();
    const sam = page.getByRole('region', { name: /^Sam Jones/ });
    const group = sam.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Kwame Mensah' }) });
    await expect(group).toContainText('Changed Email from “kwame@example.org” to “kwame.mensah@example.org”');
    await expectNoSeriousViolations(page, 'review queue');
    await page.screenshot({ path: test.info().outputPath('review-queue.png') });

    await group.getByRole('button', { name: /^Mark reviewed/ }).click();
    await expect(group).toHaveCount(0);
    await expect(sam.getByRole('link', { name: 'Lena Fischer' })).toBeVisible();
    await sam.getByRole('button', { name: 'Mark all from Sam Jones reviewed' }).click();
    await expect(page.getByRole('heading', { name: 'Nothing waiting for review' })).toBeVisible();
    await expectNoSeriousViolations(page, 'review queue, empty');
    await page.context().close();
  });

  test('review queue: a worker’s offline phone change that lost a conflict, and a second notes edit after the lead’s mark, are listed', async ({ browser, lead, worker }) => {
    const contact = lead.service.workspace.create('contact', { name: 'Grace Adeyemi', phone: '0161 496 0100', notes: 'Runs the Friday sewing circle.' });
    await lead.service.sync.syncNow();
    await worker.service.sync.syncNow();
    const workerPage = await openPage(browser, worker, `#/contacts/${contact.id}`);
    const workerNotes = textbox(workerPage, 'Notes about this contact');
    await workerNotes.fill('Runs the Friday sewing circle. Needs fabric.');
    await expectSaved(workerPage);
    await worker.service.sync.syncNow();
    await lead.service.sync.syncNow();

    const page = await openPage(browser, lead, '#/review');
    const group = page.getByRole('region', { name: /^Sam Jones/ }).getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Grace Adeyemi' }) });
    await expect(group).toContainText('Needs fabric.');
    await group.getByRole('button', { name: /^Mark reviewed/ }).click();
    await expect(group).toHaveCount(0);

    // Both offline: the worker edits the notes again and sets the phone; the lead sets the phone too, and the lead's is kept.
    lead.service.sync.cancel();
    worker.service.sync.cancel();
    lastWriteWins(lead.service.workspace, worker.service.workspace, 'contact', contact.id);
    await workerNotes.fill('Runs the Friday sewing circle. Fabric donated by the market.');
    await expectSaved(workerPage);
    await textbox(workerPage, 'Phone').fill('0161 496 0102');
    await expectSaved(workerPage);
    lead.service.workspace.update('contact', contact.id, { phone: '0161 496 0101' });
    await worker.service.sync.syncNow();
    await lead.service.sync.syncNow();

    await expect(group).toContainText('Changed Notes from “Runs the Friday sewing circle. Needs fabric.” to “Runs the Friday sewing circle. Fabric donated by the market.”');
    await expect(group).toContainText('Set Phone to “0161 496 0102” — not kept: sync kept “0161 496 0101” (see Conflicts)');
    await expectNoSeriousViolations(page, 'review queue, a change sync did not keep');
    await page.screenshot({ path: test.info().outputPath('review-queue-not-kept.png') });
    await group.getByRole('link', { name: 'see Conflicts' }).click();
    await expect(page.getByRole('article', { name: 'Phone of Grace Adeyemi' })).toContainText('“0161 496 0102”');
    await page.context().close();
    await workerPage.context().close();
  });

  test('conflict inbox: two people write a contact’s notes offline; the lead keeps both, each under its author and time, and that syncs', async ({ browser, lead, worker }) => {
    const contact = lead.service.workspace.create('contact', { name: 'Winston Clarke', notes: 'Retired carpenter.' });
    await lead.service.sync.syncNow();
    await worker.service.sync.syncNow();
    lead.service.sync.cancel();
    worker.service.sync.cancel();
    lead.service.workspace.update('contact', contact.id, { notes: 'Retired carpenter.\nOffered to mend the benches at the community centre.' });
    worker.service.workspace.update('contact', contact.id, { notes: 'Retired carpenter.\nWants to teach woodwork to young people.' });
    await worker.service.sync.syncNow();
    await lead.service.sync.syncNow();

    const page = await openPage(browser, lead, '#/conflicts');
    const entry = page.getByRole('article', { name: 'Notes of Winston Clarke' });
    // Free text is shown whole, so both can be read before choosing.
    await expect(entry).toContainText('Offered to mend the benches at the community centre.');
    await expect(entry).toContainText('Wants to teach woodwork to young people.');
    const keepBoth = entry.getByRole('button', { name: /^Keep both: Notes from (you and Sam Jones|Sam Jones and you), joined$/ });
    await expect(keepBoth).toHaveAccessibleDescription(/each under a line saying who wrote it and when/);
    await expectNoSeriousViolations(page, 'conflict inbox, notes');
    await page.screenshot({ path: test.info().outputPath('conflict-keep-both.png') });
    await keepBoth.click();
    await expect(entry).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'Kept both texts of Notes, each with its author and time. The conflict is resolved.' })).toBeAttached();
    await page.getByRole('tab', { name: 'Resolved' }).click();
    await expect(page.getByRole('article', { name: 'Notes of Winston Clarke' })).toContainText('kept both texts, each with its author and time');

    // An ordinary write: it reaches the worker's device like any edit.
    await lead.service.sync.syncNow();
    await worker.service.sync.syncNow();
    const workerPage = await openPage(browser, worker, `#/contacts/${contact.id}`);
    const notes = textbox(workerPage, 'Notes about this contact');
    const byline = (name: string) => new RegExp(`^${name} wrote on \\d{1,2} \\w+ \\d{4} at \\d{2}:\\d{2}:\\nRetired carpenter\\.\\n`, 'm');
    await expect(notes).toHaveValue(byline('Asha Patel'));
    await expect(notes).toHaveValue(byline('Sam Jones'));
    await expect(notes).toHaveValue(/Offered to mend the benches at the community centre\./);
    await expect(notes).toHaveValue(/Wants to teach woodwork to young people\./);
    await workerPage.screenshot({ path: test.info().outputPath('keep-both-synced.png') });
    await page.context().close();
    await workerPage.context().close();
  });

  test('a worker who opens the duplicates screen is told in words that only team leads may merge', async ({ browser, worker }) => {
    worker.service.workspace.create('contact', { name: 'Tom Price', phone: '07700 900555' });
    worker.service.workspace.create('contact', { name: 'Thomas Price', phone: '+44 7700900555' });
    const page = await openPage(browser, worker, '#/duplicates');
    const pair = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Tom Price' }) }).filter({ has: page.getByRole('link', { name: 'Thomas Price' }) });
    await pair.getByRole('button', { name: /^Compare and merge/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Compare and merge contacts' });
    await dialog.getByRole('button', { name: /^Merge into/ }).click();
    await expect(dialog.getByRole('alert')).toHaveText(/^The records could not be merged: Only team leads may merge/);
    await page.context().close();
  });
});
