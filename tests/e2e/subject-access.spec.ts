// Subject access from a contact's page: the lead exports everything held about a person,
// sees progress and a summary, and the downloaded zip holds the HTML and JSON about them
// (and the PDF); the export is then listed in the log, which never names the person.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { SubjectAccessReport } from '../../shared/rpc-privacy';
import { expect, expectNoSeriousViolations, openSection, test } from './fixtures';

let zoeId = '';

test.beforeAll(async ({ harness }) => {
  const ws = harness.service.workspace;
  const zoe = ws.create('contact', {
    name: 'Zoë Łukasz',
    phone: '07700 900111',
    consents: [{ id: randomUUID(), purpose: 'Contact about community activities', wordingVersion: 'v2', givenAt: '2025-03-01', method: 'verbal', withdrawnAt: null }],
  });
  ws.update('contact', zoe.id, { phone: '07700 900222' });
  const other = ws.create('contact', { name: 'Oscar Other' });
  ws.create('session', { title: 'Coffee morning', type: 'drop-in', startsAt: '2026-03-02T10:00', attendeeIds: [zoe.id, other.id], notes: 'Zoë and Oscar planned the garden.' });
  ws.create('session', { title: 'Quiz night', type: 'event', startsAt: '2026-02-01T19:00', attendeeIds: [other.id] });
  zoeId = zoe.id;
});

/** The downloaded zip's member whose name ends with `extension`, as text. */
const member = (zip: string, extension: string) => execFileSync('unzip', ['-p', zip, `*${extension}`], { encoding: 'utf8' });

test('a lead exports everything held about a contact from their page, and the log lists the export without naming them', async ({ page, harness }) => {
  await page.goto(`${harness.url}#/contacts/${zoeId}`);
  await page.getByRole('button', { name: 'Everything we hold about this person' }).click();
  const dialog = page.getByRole('dialog', { name: 'Everything we hold about this person' });
  await expect(dialog.getByText(/Redact other people’s details/)).toBeVisible();
  await expectNoSeriousViolations(page, 'subject access dialog');

  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^subject-access-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.zip$/);
  const status = dialog.getByRole('status').filter({ hasText: /Your browser is saving/ });
  await expect(status).toContainText('1 session');
  await expect(status).toContainText('1 consent');
  await expect(status).toContainText(/\d+ history entries/);

  const zip = (await file.path())!;
  const json = JSON.parse(member(zip, '.json')) as SubjectAccessReport;
  expect(json.person.title).toBe('Zoë Łukasz');
  expect(json.sessions.map((s) => [s.title, s.roles, s.notes])).toEqual([['Coffee morning', ['attended'], 'Zoë and Oscar planned the garden.']]);
  expect(json.consents.map((c) => c.consent.wordingVersion)).toEqual(['v2']);
  expect(json.history.some((h) => h.description === 'changed Phone from “07700 900111” to “07700 900222”')).toBe(true);
  expect(JSON.stringify(json)).not.toContain('Quiz night');
  const html = member(zip, '.html');
  expect(html).toContain('<h1>Everything we hold about Zoë Łukasz</h1>');
  expect(html).toContain('<h2>Sessions they attended or facilitated</h2>');
  expect(member(zip, '.pdf').startsWith('%PDF-')).toBe(true);

  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await openSection(page, 'Privacy');
  const log = page.getByRole('region', { name: 'Subject access exports' });
  const row = log.getByRole('row').filter({ hasText: json.exportId });
  await expect(row).toContainText(json.generatedBy.name);
  await expect(log.getByRole('table')).not.toContainText('Zoë');
  await expectNoSeriousViolations(page, 'Privacy › Subject access exports');
});

test('a worker is told a team lead can make the export, and has no button for it', async ({ page, worker }) => {
  const contact = worker.service.workspace.create('contact', { name: 'Wanda Worker-Contact' });
  await page.goto(`${worker.url}#/contacts/${contact.id}`);
  const panel = page.getByRole('region', { name: 'Their data' });
  await expect(panel).toContainText('A team lead can export everything held about this person');
  await expect(page.getByRole('button', { name: 'Everything we hold about this person' })).toHaveCount(0);
});
