// Takes the README's screenshots of the main screens from a small, realistic workspace,
// in Debian's Chromium against the harness: `npm run screenshots` (after build:renderer).
// Written to docs/; look at each before committing it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { startHarness } from '../main/harness/server';

const harness = await startHarness({ dataDir: mkdtempSync(join(tmpdir(), 'fieldbook-screens-')) });
const service = harness.service;
// A workspace of made-up people, thrown away after: its passphrase protects nothing real.
await service.setup('Asha Patel', 'Moss Side Connections', 'screenshots of a made-up workspace');
const ws = service.workspace;

const hall = ws.create('asset', {
  name: 'St Mary’s Church Hall',
  category: 'physical',
  description: 'Parish hall with a kitchen and step-free access; free to community groups on weekday mornings.',
  themes: ['loneliness', 'food'],
  postcode: 'M14 5TQ',
  availability: 'Mon–Fri 9:00–13:00',
  location: { lat: 53.4504, lon: -2.2265 },
});
ws.create('asset', { name: 'Knit and Natter', category: 'association', themes: ['loneliness', 'arts'], postcode: 'M14 4PQ' });
ws.create('asset', { name: 'Claremont Road Surgery', category: 'institution', themes: ['cancer prevention'], postcode: 'M14 5RQ' });
ws.create('asset', { name: 'Moss Side Community Garden', category: 'physical', themes: ['food', 'dementia'], postcode: 'M14 4SW' });
ws.create('asset', { name: 'Abdul’s Grocers', category: 'economic', themes: ['food'], postcode: 'M14 4TE' });
ws.create('asset', { name: 'Caribbean Carnival memories', category: 'cultural', themes: ['arts', 'loneliness'] });

const maggie = ws.create('contact', {
  name: 'Maggie O’Brien',
  roles: ['resident', 'volunteer'],
  phone: '07700 900123',
  postcode: 'M14 4PQ',
  themes: ['food', 'loneliness'],
  notes: 'Runs the Tuesday lunch club; would like to start a baking group for dads.',
  skills: [
    { id: randomUUID(), domain: 'Food', skill: 'Baking bread', has: true, wantsToLearn: false, willingToShare: true },
    { id: randomUUID(), domain: 'Digital', skill: 'Video calls', has: false, wantsToLearn: true, willingToShare: false },
    { id: randomUUID(), domain: 'Care', skill: 'Befriending', has: true, wantsToLearn: false, willingToShare: true },
  ],
  consents: [
    { id: randomUUID(), purpose: 'Contact about local events and activities', wordingVersion: 'v1', givenAt: '2026-09-12', method: 'written', withdrawnAt: null },
    { id: randomUUID(), purpose: 'Photos at community sessions', wordingVersion: 'v1', givenAt: '2026-03-03', method: 'verbal', withdrawnAt: '2026-10-01' },
  ],
});
const people = ['Grace Obi', 'Tariq Hussain', 'Zoë Brown', 'Ben Okafor', 'Priya Shah'].map((name, i) =>
  ws.create('contact', { name, roles: i % 2 ? ['champion'] : ['resident'], postcode: 'M14 4PQ' }),
);
ws.create('connection', { fromId: maggie.id, toId: hall.id, kind: 'runs', date: '2026-05-01', note: 'Tuesday lunch club' });
ws.create('connection', { fromId: maggie.id, toId: people[0]!.id, kind: 'introduced-by', date: '2026-06-10', note: '' });

const session = ws.create('session', {
  title: 'Community conversation: food and loneliness',
  type: 'community-conversation',
  startsAt: '2026-11-24T10:00',
  endsAt: '2026-11-24T12:00',
  venueId: hall.id,
  attendeeIds: [maggie.id, ...people.slice(0, 4).map((p) => p.id)],
  anonymousHeadCount: 7,
  notes: 'Twelve people came, most of them from the flats on Claremont Road.\nMany said the lunch club is the only time they talk to anyone all week.\nThe hall kitchen could host a baking group if someone leads it.',
  priorities: [
    { id: randomUUID(), text: 'Somewhere warm to meet in winter', theme: 'loneliness' },
    { id: randomUUID(), text: 'Cooking on a budget', theme: 'food' },
  ],
  actions: [
    { id: randomUUID(), text: 'Ask the vicar about Thursday mornings', ownerId: maggie.id, dueDate: '2026-12-04', status: 'open' },
    { id: randomUUID(), text: 'Print flyers for the baking group', ownerId: people[1]!.id, dueDate: '2026-12-18', status: 'in-progress' },
    { id: randomUUID(), text: 'Share the food bank leaflet', ownerId: maggie.id, dueDate: '2026-11-28', status: 'done' },
  ],
});
ws.create('session', { title: 'Drop-in at the Community Garden', type: 'drop-in', startsAt: '2026-11-17T14:00', venueId: hall.id, attendeeIds: [maggie.id], anonymousHeadCount: 3 });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const shoot = async (hash: string, file: string, ready: (page: Page) => Promise<unknown>) => {
  await page.goto(`${harness.url}${hash}`);
  await ready(page);
  await page.waitForTimeout(400); // let the save status and lazy chunks settle
  await page.screenshot({ path: join('docs', file) });
  console.log(`docs/${file}`);
};
try {
  await shoot(`#/sessions/${session.id}`, 'screenshot-session-editor.png', (p) => p.getByText('Twelve people came').waitFor());
  await shoot(`#/contacts/${maggie.id}`, 'screenshot-contact-capacity-inventory.png', (p) => p.getByLabel('Domain of Baking bread').scrollIntoViewIfNeeded());
  await shoot('#/assets', 'screenshot-assets-list.png', (p) => p.getByText('Knit and Natter').waitFor());
  await shoot('#/actions', 'screenshot-actions.png', (p) => p.getByText('Ask the vicar').waitFor());
  await shoot('#/sessions', 'screenshot-sessions-list.png', (p) => p.getByText('Drop-in at the Community Garden').waitFor());
} finally {
  await browser.close();
  await harness.close();
}
