import { useEffect, useState } from 'react';
import { ASSET_CATEGORIES, ASSET_CATEGORY_HELP, type Location } from '../../../shared/domain';
import { RadioGroup, TextField } from '../components/fields';
import { createContactNamed, RecordSelect } from '../components/RecordPicker';
import { ThemeChips } from '../components/ThemeChips';
import { binder } from '../lib/bind';
import { humanize } from '../../../shared/format';
import type { Issues } from '../lib/issues';
import { useRecordEditor } from '../lib/record-editor';
import { href } from '../app/router';
import { DetailPage } from './DetailPage';
import { RecordSessions } from './RelatedRecords';

export function AssetDetail({ id }: { id: string }) {
  const [snapshot, editor] = useRecordEditor('asset', id);
  return (
    <DetailPage kind="asset" snapshot={snapshot} editor={editor} connections related={<RecordSessions id={id} kind="asset" />}>
      {(draft) => {
        const bind = binder('asset', snapshot, editor);
        return (
          <>
            <section className="form-section" aria-labelledby="about-heading">
              <h2 id="about-heading">About</h2>
              <TextField {...bind.text('name')} required />
              <RadioGroup
                {...bind.choice('category')}
                legend="Category"
                name="asset-category"
                hint="Which kind of asset is this, in ABCD terms?"
                options={ASSET_CATEGORIES.map((c) => ({ value: c, label: humanize(c), hint: ASSET_CATEGORY_HELP[c] }))}
              />
              <TextField {...bind.text('description')} multiline rows={4} hint="What it is, what it offers, who it is for." />
              <ThemeChips {...bind.choice('themes')} />
              <ThemeChips {...bind.choice('tags')} suggestions={[]} itemName="tag" />
              {/* After the fields, which come first in the Tab order. */}
              <p>
                <a href={href('network', id)}>Show in network</a> · <a href={href('map', id)}>Place on map</a>
              </p>
            </section>
            <section className="form-section" aria-labelledby="where-heading">
              <h2 id="where-heading">Where and when</h2>
              <TextField {...bind.text('address')} multiline rows={2} />
              <TextField {...bind.text('postcode')} className="field--short" />
              <LocationField value={draft.location} issues={snapshot.issues} onChange={(location) => editor.set('location', location)} onBlur={() => void editor.flush()} />
              <TextField {...bind.text('availability')} multiline rows={2} hint="Opening times, or when it is available — e.g. “Tuesdays 10–12, term time”." />
            </section>
            <section className="form-section" aria-labelledby="contact-person-heading">
              <h2 id="contact-person-heading">Contact person</h2>
              <RecordSelect
                {...bind.choice('contactPersonId')}
                kind="contact"
                hint="Who to talk to about this asset. Type a name; a new person can be added from here."
                onChange={(personId) => editor.set('contactPersonId', personId, { now: true })}
                onCreate={createContactNamed}
              />
            </section>
          </>
        );
      }}
    </DetailPage>
  );
}

const asText = (n: number | undefined) => (n === undefined ? '' : String(n));

/** Latitude and longitude, optional: both or neither are saved, so half a location never is. */
function LocationField({
  value,
  issues,
  onChange,
  onBlur,
}: {
  value: Location | null;
  issues: Issues;
  onChange: (location: Location | null) => void;
  onBlur: () => void;
}) {
  const [lat, setLat] = useState(asText(value?.lat));
  const [lon, setLon] = useState(asText(value?.lon));
  // Follow changes from elsewhere (undo, another window) without disturbing typing.
  useEffect(() => {
    if (Number(lat) !== value?.lat || lat === '') setLat(asText(value?.lat));
    if (Number(lon) !== value?.lon || lon === '') setLon(asText(value?.lon));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value?.lat, value?.lon]);
  const update = (nextLat: string, nextLon: string) => {
    setLat(nextLat);
    setLon(nextLon);
    if (nextLat === '' && nextLon === '') onChange(null);
    else if (nextLat !== '' && nextLon !== '') onChange({ lat: Number(nextLat), lon: Number(nextLon) });
  };
  const half = (lat === '') !== (lon === '');
  return (
    <fieldset className="field location" id="field-location" tabIndex={-1}>
      <legend>Location on a map (optional)</legend>
      <p className="field-hint">{half ? 'Enter both latitude and longitude to save the location.' : 'Decimal degrees, e.g. 53.4631 and −2.2290.'}</p>
      <div className="field-row">
        <TextField path="location.lat" label="Latitude" value={lat} onChange={(v) => update(v, lon)} onBlur={onBlur} error={issues['location.lat'] ?? issues.location} />
        <TextField path="location.lon" label="Longitude" value={lon} onChange={(v) => update(lat, v)} onBlur={onBlur} error={issues['location.lon']} />
      </div>
    </fieldset>
  );
}
