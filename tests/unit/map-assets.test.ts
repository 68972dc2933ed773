// map.assets: every active placed asset in compact parallel arrays, and those not yet
// placed counted and named; deleted assets are on neither list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASSET_CATEGORIES } from '../../shared/domain';
import { mapAssets } from '../../main/data-service/maps/assets';
import { openTemp } from './helpers';

test('placed assets come as parallel arrays; unplaced ones are counted and named; deleted ones are left out', (t) => {
  const { ws } = openTemp(t);
  const hall = ws.create('asset', { name: 'Church Hall', category: 'physical', themes: ['food', 'loneliness'], location: { lat: 53.4631, lon: -2.229 } });
  const knit = ws.create('asset', { name: 'Knit and Natter', category: 'association', themes: ['loneliness'], location: { lat: 53.4612, lon: -2.2321 } });
  const library = ws.create('asset', { name: 'Old Library', category: 'institution', postcode: 'M14 4PX' });
  const gone = ws.create('asset', { name: 'Closed Café', category: 'economic', location: { lat: 53.46, lon: -2.23 } });
  ws.delete('asset', gone.id);
  ws.create('contact', { name: 'Asha Patel' });

  const assets = mapAssets(ws);
  assert.deepEqual(assets.ids, [hall.id, knit.id]);
  assert.deepEqual(assets.names, ['Church Hall', 'Knit and Natter']);
  assert.deepEqual(assets.categories.map((c) => ASSET_CATEGORIES[c]), ['physical', 'association']);
  assert.deepEqual([assets.lat, assets.lon], [[53.4631, 53.4612], [-2.229, -2.2321]]);
  assert.deepEqual(assets.themes.map((themes) => themes.map((i) => assets.themeNames[i])), [['food', 'loneliness'], ['loneliness']]);
  assert.deepEqual(assets.unplaced, { total: 1, first: [{ id: library.id, name: 'Old Library', postcode: 'M14 4PX' }] });

  ws.update('asset', library.id, { location: { lat: 53.459, lon: -2.24 } });
  const after = mapAssets(ws);
  assert.equal(after.unplaced.total, 0);
  assert.ok(after.ids.includes(library.id), 'a placed asset is on the map');
});

test('an asset with only a postcode is drawn roughly where placed assets with its postcode, sector or district are', (t) => {
  const { ws } = openTemp(t);
  ws.create('asset', { name: 'Church Hall', category: 'physical', postcode: 'M14 5TQ', location: { lat: 53.46, lon: -2.22 } });
  ws.create('asset', { name: 'Park café', category: 'economic', postcode: 'M14 5TA', location: { lat: 53.44, lon: -2.24 } });
  ws.create('asset', { name: 'Mosque', category: 'institution', postcode: 'M14 7AB', location: { lat: 53.45, lon: -2.2 } });
  const samePostcode = ws.create('asset', { name: 'Food bank', category: 'association', postcode: 'm145tq' });
  const sameSector = ws.create('asset', { name: 'Choir', category: 'association', postcode: 'M14 5XX' });
  const sameDistrict = ws.create('asset', { name: 'Allotments', category: 'physical', postcode: 'M14 9ZZ' });
  const elsewhere = ws.create('asset', { name: 'Harbour', category: 'physical', postcode: 'PL1 2AA' });
  const noPostcode = ws.create('asset', { name: 'Walking group', category: 'association' });

  const assets = mapAssets(ws);
  const at = (id: string) => {
    const i = assets.ids.indexOf(id);
    return { lat: assets.lat[i], lon: assets.lon[i], from: assets.approximate.find((a) => a.index === i)?.from };
  };
  assert.deepEqual(at(samePostcode.id), { lat: 53.46, lon: -2.22, from: 'postcode' });
  assert.deepEqual(at(sameSector.id), { lat: 53.45, lon: -2.23, from: 'postcode sector' });
  assert.deepEqual(at(sameDistrict.id), { lat: 53.45, lon: -2.22, from: 'postcode district' });
  assert.deepEqual(assets.unplaced.first.map((a) => a.id).sort(), [elsewhere.id, noPostcode.id].sort(), 'no neighbours to go by: not yet placed');
  assert.equal(ws.get('asset', samePostcode.id).data.location, null, 'the record itself stays unplaced');
});
