import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { RpcClient } from '../../shared/rpc-client';
import type { DuplicatePair } from '../../shared/rpc';
import { BLOCK_WINDOW, DEFAULT_THRESHOLD, MAX_BLOCK, ScanStopped, comparePair, findDuplicates, findDuplicatesWith, findLikelyMatches, scanDuplicates } from '../../main/data-service/duplicates';
import { nameSimilarity, nameTokens, normalisePhone, tokenSimilarity } from '../../main/data-service/duplicates/normalise';
import { ServiceConnection } from '../../main/data-service/service-connection';
import type { Workspace } from '../../main/data-service/workspace';
import type { DataService } from '../../main/data-service/data-service';
import { openTemp, tempDir, testService, TEST_PASSPHRASE } from './helpers';

/** The pair of these two records among the found pairs, if any. */
const pairOf = (pairs: DuplicatePair[], x: string, y: string) => pairs.find((p) => (p.a.id === x && p.b.id === y) || (p.a.id === y && p.b.id === x));

/** Every pair the finder scores, however low (for asserting that a pair scores below the threshold). */
const allPairs = (ws: Workspace, kind: 'contact' | 'asset') => findDuplicates(ws, { kind, threshold: 0, limit: Infinity });

test('phone numbers are compared in E.164 with a GB default, whatever their format', () => {
  for (const phone of ['+44 7700 900123', '07700900123', '07700 900123', '+44 (0)7700 900123', '0044 7700 900123', '(07700) 900-123']) {
    assert.equal(normalisePhone(phone), '+447700900123', phone);
  }
  assert.equal(normalisePhone('0161 555 0123'), '+441615550123');
  assert.equal(normalisePhone(''), null);
  assert.equal(normalisePhone('123'), null, 'too short to be a number');
});

test('names are compared across nicknames, word order, "Last, First", accents, titles and typos', () => {
  const sim = (a: string, b: string) => nameSimilarity(nameTokens(a), nameTokens(b)).similarity;
  assert.equal(sim('Zoë Brown', 'ZOE BROWN'), 1);
  assert.equal(sim("Patricia O'Brien", 'Patricia O’Brien'), 1);
  assert.equal(sim('Smith, Rob', 'Rob Smith'), 1, '"Last, First" is read as First Last');
  assert.equal(sim('Mrs Margaret Jones', 'Margaret Jones'), 1, 'titles are dropped');
  assert.ok(sim('Bob Smith', 'Robert Smith') > 0.95);
  assert.ok(sim('Peggy Jones', 'Margaret Jones') > 0.95);
  assert.ok(sim('Smith Bob', 'Bob Smith') > 0.95, 'swapped without a comma');
  assert.ok(sim('Robert James Smith', 'Bob Smith') > 0.9, 'a middle name costs little');
  assert.ok(sim('Bob Smtih', 'Bob Smith') >= 0.9, 'two letters swapped are one slip');
  assert.ok(sim('Mary Smith', 'John Smith') < 0.6, 'one surname, two first names');
  assert.ok(sim('Paul Smith', 'Pauline Smith') < 0.85, 'no nickname rule beyond the list');
  const match = nameSimilarity(nameTokens('Bob Smith'), nameTokens('Smith, Robert'));
  assert.deepEqual(match.nickname, ['bob', 'robert']);
  assert.equal(tokenSimilarity(nameTokens('R')[0]!, nameTokens('Robert')[0]!), 0.8, 'an initial agrees with the name');
  assert.equal(tokenSimilarity(nameTokens('J')[0]!, nameTokens('Robert')[0]!), 0);
});

test('the same resident entered three times comes out as one person, with reasons', (t) => {
  const { ws } = openTemp(t);
  const bob = ws.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
  const robert = ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123' });
  const rob = ws.create('contact', { name: 'Smith, Rob' });
  ws.create('contact', { name: 'Aisha Khan', phone: '0161 555 0199', postcode: 'M14 5TQ' });
  const pairs = findDuplicates(ws, { kind: 'contact' });
  assert.equal(pairs.length, 3, 'the three records pair up, and with no one else');
  const phonePair = pairOf(pairs, bob.id, robert.id);
  assert.ok(phonePair);
  assert.ok(phonePair.reasons.includes('same phone'));
  assert.ok(phonePair.reasons.some((r) => /bob = robert|robert = bob/.test(r)), phonePair.reasons.join('; '));
  for (const other of [bob, robert]) assert.ok(pairOf(pairs, rob.id, other.id)!.score >= DEFAULT_THRESHOLD);
  assert.ok(pairs.every((p) => p.score > 0 && p.score <= 1));
  assert.deepEqual(
    pairs.map((p) => p.score),
    [...pairs.map((p) => p.score)].sort((x, y) => y - x),
    'most alike first',
  );
  assert.ok(pairs[0] === phonePair, 'the pair with the shared phone is the surest');
});

test('nicknames, accents and emails in another case', (t) => {
  const { ws } = openTemp(t);
  const peggy = ws.create('contact', { name: 'Peggy Jones', postcode: 'M14 5TQ' });
  const margaret = ws.create('contact', { name: 'Margaret Jones', postcode: 'm145tq' });
  const zoe1 = ws.create('contact', { name: 'Zoë Brown', email: 'Zoe.Brown@Example.com' });
  const zoe2 = ws.create('contact', { name: 'Zoe Brown', email: 'zoe.brown@example.com' });
  const pairs = findDuplicates(ws, { kind: 'contact' });
  assert.ok(pairOf(pairs, peggy.id, margaret.id)!.reasons.includes('same postcode'));
  const zoe = pairOf(pairs, zoe1.id, zoe2.id);
  assert.ok(zoe);
  assert.deepEqual(zoe.reasons, ['same name', 'same email']);
  assert.equal(pairs.length, 2);
});

test('namesakes, family members and neighbours are not taken for one person', (t) => {
  const { ws } = openTemp(t);
  const john1 = ws.create('contact', { name: 'John Smith', phone: '0161 555 0123', postcode: 'M14 5TQ' });
  const john2 = ws.create('contact', { name: 'John Smith', phone: '07700 900456', postcode: 'LS6 2AB' });
  // One household: one landline, one address.
  const home = { phone: '0113 496 0000', postcode: 'LS7 3XE', address: '12 Harehills Lane, Chapeltown, Leeds' };
  const mary = ws.create('contact', { name: 'Mary Patel', ...home });
  const kevin = ws.create('contact', { name: 'Kevin Patel', ...home });
  // Neighbours: one surname, one postcode, their own phones.
  const amina = ws.create('contact', { name: 'Amina Hussain', phone: '07700 900777', postcode: 'BD8 7XP' });
  const imran = ws.create('contact', { name: 'Imran Hussain', phone: '07700 900888', postcode: 'BD8 7XP' });
  assert.deepEqual(findDuplicates(ws, { kind: 'contact' }), []);
  const scored = allPairs(ws, 'contact');
  const johns = pairOf(scored, john1.id, john2.id);
  assert.ok(johns, 'the two John Smiths are compared');
  assert.ok(johns.score < DEFAULT_THRESHOLD);
  assert.ok(johns.reasons.includes('different phones') && johns.reasons.includes('postcodes in different districts'), johns.reasons.join('; '));
  for (const [x, y] of [
    [mary, kevin],
    [amina, imran],
  ] as const) {
    const pair = pairOf(scored, x.id, y.id);
    assert.ok(pair && pair.score < DEFAULT_THRESHOLD, `${x.data.name} / ${y.data.name}`);
  }
});

test('a church hall mapped twice is one asset; the church of the same name 2 km away is another', (t) => {
  const { ws } = openTemp(t);
  const hall = ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical', location: { lat: 53.45, lon: -2.22 }, postcode: 'M14 5TQ' });
  const again = ws.create('asset', { name: "Saint Marys Church Hall", category: 'physical', location: { lat: 53.45036, lon: -2.22 } });
  const church = ws.create('asset', { name: 'St Mary’s Church', category: 'physical', location: { lat: 53.468, lon: -2.22 } });
  const library = ws.create('asset', { name: 'Moss Side Library', category: 'institution', location: { lat: 53.4501, lon: -2.2201 } });
  const pairs = findDuplicates(ws, { kind: 'asset' });
  assert.equal(pairs.length, 1);
  assert.ok(pairOf(pairs, hall.id, again.id));
  assert.ok(pairs[0]!.reasons.includes('40 m apart'), pairs[0]!.reasons.join('; '));
  const nextDoor = pairOf(allPairs(ws, 'asset'), hall.id, library.id);
  assert.ok(nextDoor && nextDoor.score < DEFAULT_THRESHOLD, 'another asset a few metres away is compared, and told apart');
  // Too far apart to share a block; compared all the same, distance decides.
  const apart = comparePair('asset', hall.data, church.data)!;
  assert.ok(apart.score < DEFAULT_THRESHOLD, apart.reasons.join('; '));
  assert.ok(apart.reasons.includes('2.0 km apart'));
});

test('each pair listed names its records by their titles and subtitles, page after page, at entry and at import', (t) => {
  const { ws } = openTemp(t);
  const people = ['Bob Smith', 'Robert Smith', 'Aisha Khan', 'Aisha Kahn', 'Mary Jones', 'Marie Jones'].map((name, k) =>
    ws.create('contact', { name, phone: `07700 90012${Math.floor(k / 2)}`, postcode: `M14 ${k}TQ` }),
  );
  const shown = (id: string) => ws.db.prepare('SELECT id, title, subtitle FROM records WHERE id = ?').get(id);
  assert.ok(people.every((p) => (shown(p.id) as { subtitle: string }).subtitle), 'the records have subtitles to show');
  const first = findDuplicates(ws, { kind: 'contact', limit: 2 });
  const next = findDuplicates(ws, { kind: 'contact', limit: 2, after: { score: first[1]!.score, a: first[1]!.a.id, b: first[1]!.b.id } });
  assert.equal(first.length + next.length, 3);
  for (const pair of [...first, ...next]) for (const ref of [pair.a, pair.b]) assert.deepEqual({ ...ref }, shown(ref.id));
  const matches = findLikelyMatches(ws, 'contact', { name: 'Bobby Smith', phone: '07700 900120' });
  assert.deepEqual(matches.map((m) => m.record.id).sort(), [people[0]!.id, people[1]!.id].sort());
  for (const m of matches) assert.deepEqual({ ...m.record }, shown(m.record.id));
  const row = { id: 'row 2', title: 'Marie Jonse', subtitle: '' };
  const imported = findDuplicatesWith(ws, 'contact', [{ ref: row, data: { name: 'Marie Jonse', phone: '07700 900122' } }]);
  assert.ok(imported.length > 0 && imported.every((p) => [p.a, p.b].includes(row)), 'a row of the file keeps the name it was given');
  for (const pair of imported) assert.deepEqual({ ...(pair.a === row ? pair.b : pair.a) }, shown((pair.a === row ? pair.b : pair.a).id));
});

test('deleted and merged-away records are left out', (t) => {
  const { ws } = openTemp(t);
  const a = ws.create('contact', { name: 'Bob Smith', phone: '07700 900123' });
  ws.create('contact', { name: 'Robert Smith', phone: '07700 900123' });
  assert.equal(findDuplicates(ws, { kind: 'contact' }).length, 1);
  ws.delete('contact', a.id);
  assert.deepEqual(findDuplicates(ws.db, { kind: 'contact' }), [], 'a database works as well as a workspace');
});

test('a block too big to compare in full is compared as a window, and still finds its duplicates', (t) => {
  const { ws } = openTemp(t);
  // Everyone in one postcode, so the postcode block holds them all.
  const size = MAX_BLOCK * 3;
  ws.createMany(
    'contact',
    Array.from({ length: size }, (_, i) => ({ data: { name: `Person${String.fromCharCode(97 + (i % 26))}${i} Smith`, postcode: 'M14 5TQ', phone: `07700 9${String(i).padStart(5, '0')}` } })),
  );
  const bob = ws.create('contact', { name: 'Bob Smith', postcode: 'M14 5TQ', phone: '07700 800001' });
  const robert = ws.create('contact', { name: 'Robert Smith', postcode: 'M14 5TQ' });
  const scan = scanDuplicates(ws, { kind: 'contact', threshold: 0 });
  assert.equal(scan.records, size + 2);
  assert.ok(scan.windowedBlocks >= 1);
  assert.ok(scan.largestBlock > MAX_BLOCK);
  assert.ok(scan.comparisons <= (size + 2) * (BLOCK_WINDOW + 10), `${scan.comparisons} comparisons`);
  assert.ok(pairOf(findDuplicates(ws, { kind: 'contact' }), bob.id, robert.id));
});

test('a scan asked to stop gives up at its next check, before it has compared every record', (t) => {
  const { ws } = openTemp(t);
  ws.createMany('contact', Array.from({ length: 3_000 }, (_, i) => ({ data: { name: `Person ${i} Smith`, postcode: `M${i % 20} 1AA` } })));
  let asked = 0;
  assert.throws(() => scanDuplicates(ws, { kind: 'contact' }, () => ++asked > 3), ScanStopped);
  assert.equal(asked, 4, 'it stopped at the first check after the signal, while comparing (checks: start, after blocking, record 0, record 1,024)');
  assert.ok(scanDuplicates(ws, { kind: 'contact' }, () => false).comparisons > 0, 'a scan not asked to stop runs to the end');
});

test('limit and threshold', (t) => {
  const { ws } = openTemp(t);
  for (let i = 0; i < 3; i++) {
    ws.create('contact', { name: `Aisha Begum${'a'.repeat(i)}`, phone: `07700 90012${i}` });
    ws.create('contact', { name: `Aisha Begum${'a'.repeat(i)}`, phone: `07700 90012${i}` });
  }
  assert.equal(findDuplicates(ws, { kind: 'contact' }).length, 3);
  assert.equal(findDuplicates(ws, { kind: 'contact', limit: 2 }).length, 2);
  assert.ok(findDuplicates(ws, { kind: 'contact', threshold: 0 }).length > 3, 'a lower threshold lists weaker pairs too');
});

test('at entry: a draft that looks like an existing contact or asset shows the likely match', (t) => {
  const { ws } = openTemp(t);
  const robert = ws.create('contact', { name: 'Robert Smith', phone: '+44 7700900123', postcode: 'M14 5TQ' });
  ws.create('contact', { name: 'Mary Smith', phone: '0161 555 0123', postcode: 'LS6 2AB' });
  const hall = ws.create('asset', { name: 'St Mary’s Church Hall', category: 'physical', location: { lat: 53.45, lon: -2.22 } });

  const byName = findLikelyMatches(ws, 'contact', { name: 'Bobby Smith' });
  assert.deepEqual(byName.map((m) => m.record.id), [robert.id]);
  assert.match(byName[0]!.reasons[0]!, /bobby = robert/);
  const byPhone = findLikelyMatches(ws, 'contact', { name: 'R Smyth', phone: '07700 900123' });
  assert.equal(byPhone[0]?.record.id, robert.id);
  assert.ok(byPhone[0]!.reasons.includes('same phone'));
  assert.deepEqual(findLikelyMatches(ws, 'contact', { name: 'Smyth, Robbie', postcode: 'm145tq' }).map((m) => m.record.id), [robert.id], 'typo and nickname');
  assert.deepEqual(findLikelyMatches(ws, 'contact', { name: 'Robert Smith' }, { excludeId: robert.id }), [], 'a record being edited is not its own match');
  assert.deepEqual(findLikelyMatches(ws, 'contact', { name: 'Grace Okafor' }), []);
  assert.deepEqual(findLikelyMatches(ws, 'contact', { name: '' }), []);

  const nearHall = findLikelyMatches(ws, 'asset', { name: 'St Marys Hall', location: { lat: 53.4502, lon: -2.2201 } });
  assert.deepEqual(nearHall.map((m) => m.record.id), [hall.id]);
  assert.deepEqual(findLikelyMatches(ws, 'asset', { name: 'St Marys Church Hall', location: { lat: 53.5, lon: -2.22 } }), [], 'same name, 5 km away');
  // Found by its pin alone (the typo hides it from the search index), though it was added after the last look-up.
  const allotments = ws.create('asset', { name: 'Allotments', category: 'physical', location: { lat: 53.46, lon: -2.23 } });
  assert.deepEqual(findLikelyMatches(ws, 'asset', { name: 'Allotmnets', location: { lat: 53.46005, lon: -2.23 } }).map((m) => m.record.id), [allotments.id]);
});

/** A data service with a lead's profile set up, and an RPC client talking to it as the renderer does. */
async function signedIn(t: TestContext): Promise<{ service: DataService; client: RpcClient }> {
  const service = testService(tempDir(t));
  t.after(() => service.close());
  let deliver: (text: string) => void = () => {};
  const connection = new ServiceConnection(service, (text) => deliver(text));
  t.after(() => connection.close());
  const client = new RpcClient({ send: (text) => connection.receive(text), onMessage: (receive) => (deliver = receive) });
  await client.call('profile.setup', { name: 'Asha Patel', workspaceName: 'Moss Side', passphrase: TEST_PASSPHRASE });
  return { service, client };
}

test('duplicates.find and duplicates.forDraft over RPC', async (t) => {
  const { client } = await signedIn(t);
  const bob = await client.call('record.create', { kind: 'contact', data: { name: 'Bob Smith', phone: '07700 900123' } });
  const robert = await client.call('record.create', { kind: 'contact', data: { name: 'Robert Smith', phone: '+44 7700 900123' } });
  const pairs = await client.call('duplicates.find', { kind: 'contact' });
  assert.equal(pairs.length, 1);
  assert.deepEqual(new Set([pairs[0]!.a.id, pairs[0]!.b.id]), new Set([bob.id, robert.id]));
  const matches = await client.call('duplicates.forDraft', { kind: 'contact', data: { name: 'Rob Smith', postcode: 'M14 5' } });
  assert.equal(matches.length, 2, 'a half-typed postcode is no error in a draft');
  await assert.rejects(client.call('duplicates.find', { kind: 'session' } as never), /kind/);
  await assert.rejects(client.call('duplicates.find', { kind: 'contact', threshold: 2 }), /threshold/);
});

test('names with a slip in each word, at the same address, are found; another first name at that address is a household, not a duplicate', (t) => {
  const { ws } = openTemp(t);
  const people = [
    ['Isabella Lodder', 'Isablela Loddwr', '156 Messenger Street, Harehills, Leeds'],
    ['Margaret Thornton', 'Margret Thorntn', '14 Kingsley Road, Moss Side, Manchester'],
    ['Jack Matthews', 'Ja ck Matthews', '17 Herron Crescent, Easton, Bristol'],
  ] as const;
  const pairs = people.map(([name, typed, address]) => [ws.create('contact', { name, address }), ws.create('contact', { name: typed, address })] as const);
  const household = ws.create('contact', { name: 'Kevin Thornton', address: people[1][2] });
  const found = findDuplicates(ws, { kind: 'contact' });
  for (const [a, b] of pairs) {
    const pair = pairOf(found, a.id, b.id);
    assert.ok(pair, `${a.data.name} / ${b.data.name} is found`);
    assert.ok(pair.reasons.includes('same address'), pair.reasons.join('; '));
  }
  for (const margaret of pairs[1]!) assert.equal(pairOf(found, household.id, margaret.id), undefined, 'Kevin Thornton lives with Margaret; he is not her');
});

test('a common name at two addresses is two people; a rare name at two addresses is likely one (term frequency)', (t) => {
  const { ws } = openTemp(t);
  const firsts = ['Amina', 'Brian', 'Chloe', 'Declan', 'Freya', 'Gary', 'Hodan', 'Imran', 'Janet', 'Keith', 'Linda', 'Noah', 'Priya', 'Rhys', 'Susan'];
  const surnames = ['Ali', 'Begum', 'Clarke', 'Doyle', 'Evans', 'Fletcher', 'Green', 'Hughes', 'Iqbal', 'Jones', 'Kaur', 'Lloyd', 'Mistry', 'Nowak', 'Osei', 'Patel', 'Quinn', 'Rahman', 'Shah', 'Turner'];
  const street = (i: number) => `${i + 1} ${['Oak Road', 'Elm Street', 'Mill Lane', 'Park Avenue', 'Church Walk'][i % 5]}, Harehills, Leeds`;
  ws.createMany(
    'contact',
    firsts.flatMap((first, i) => surnames.map((surname, j) => ({ data: { name: `${first} ${surname}`, address: street(i * surnames.length + j) } }))),
  );
  // One name many people in the area share, each at an address of their own.
  const common = ws.createMany('contact', Array.from({ length: 30 }, (_, i) => ({ data: { name: 'Mohammed Khan', address: street(400 + i) } })));
  const [rare1, rare2] = ws.createMany('contact', [
    { data: { name: 'Zebedee Quist', address: street(500) } },
    { data: { name: 'Zebedee Quist', address: street(501) } },
  ]);
  const found = findDuplicates(ws, { kind: 'contact', limit: Infinity });
  const commonIds = new Set(common);
  assert.deepEqual(found.filter((p) => commonIds.has(p.a.id) || commonIds.has(p.b.id)), [], 'no two of the Mohammed Khans are paired');
  assert.ok(pairOf(found, rare1!, rare2!), 'the two Zebedee Quists are');
  const khans = pairOf(allPairs(ws, 'contact'), common[0]!, common[1]!);
  assert.ok(khans && khans.score < pairOf(found, rare1!, rare2!)!.score, 'a common name agreeing counts for less than a rare one');
});

test('the finder pages past 1,000 pairs: every pair once, in order, over RPC', async (t) => {
  const { service, client } = await signedIn(t);
  // 1,050 people, each entered twice with the same name and phone; names of made-up words, so no two people look alike.
  let seed = 7;
  const letter = () => String.fromCharCode(97 + ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % 26));
  const word = () => Array.from({ length: 7 }, letter).join('');
  const people = 1_050;
  const contacts = Array.from({ length: people }, (_, i) => {
    const data = { name: `${word()} ${word()}`, phone: `07700 ${String(100_000 + i)}` };
    return [{ data }, { data: { ...data } }];
  }).flat();
  service.workspace.createMany('contact', contacts);

  const first = await client.call('duplicates.find', { kind: 'contact', limit: 1000 });
  assert.equal(first.length, 1000);
  const last = first.at(-1)!;
  const second = await client.call('duplicates.find', { kind: 'contact', limit: 1000, after: { score: last.score, a: last.a.id, b: last.b.id } });
  assert.equal(second.length, people - 1000);
  const keys = [...first, ...second].map((p) => `${p.a.id}|${p.b.id}`);
  assert.equal(new Set(keys).size, people, 'every pair once');
  assert.ok(second.every((p) => p.score <= last.score), 'the next page goes on where the first ended');
  const end = second.at(-1)!;
  assert.deepEqual(await client.call('duplicates.find', { kind: 'contact', after: { score: end.score, a: end.a.id, b: end.b.id } }), []);
  await assert.rejects(client.call('duplicates.find', { kind: 'contact', after: { score: 2, a: end.a.id, b: end.b.id } }), /score/);
});

test('two organisations whose names differ are listed when everything else they hold is shared, and not when one field is missing', (t) => {
  const { ws } = openTemp(t);
  const place = { type: 'organisation' as const, phone: '0161 496 0000', postcode: 'M14 5TQ', address: '4 Crisp Circuit, Hulme, Manchester' };
  const bank = ws.create('contact', { ...place, name: 'Moss Side Food Bank', email: 'bookings@pantry.example.org' });
  const pantry = ws.create('contact', { ...place, name: 'Hulme Community Pantry', email: 'bookings@pantry.example.org' });
  const club = ws.create('contact', { ...place, name: 'Alma Street Lunch Club' });
  const pairs = findDuplicates(ws, { kind: 'contact', threshold: DEFAULT_THRESHOLD, limit: Infinity });
  // A scan passes over pairs that nothing they share could lift to the threshold: a shared phone,
  // email, postcode and address together still lift two unlike names; without the email, they do not.
  assert.ok(pairOf(pairs, bank.id, pantry.id), 'names unlike, every other field the same');
  assert.equal(pairOf(pairs, bank.id, club.id), undefined, 'no email on one: the rest cannot lift it');
  assert.ok(pairOf(allPairs(ws, 'contact'), bank.id, club.id)!.score < DEFAULT_THRESHOLD);
});
