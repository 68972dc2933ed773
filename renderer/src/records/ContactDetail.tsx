import { CONTACT_ROLES, CONTACT_TYPES } from '../../../shared/domain';
import { CheckboxGroup, RadioGroup, TextField } from '../components/fields';
import { ThemeChips } from '../components/ThemeChips';
import { binder } from '../lib/bind';
import { humanize } from '../../../shared/format';
import { useRecordEditor } from '../lib/record-editor';
import { CapacityGrid } from './CapacityGrid';
import { ConsentList, NoGroundFlag } from './ConsentList';
import { href } from '../app/router';
import { DetailPage } from './DetailPage';
import { OwnedActions, RecordSessions } from './RelatedRecords';
import { SubjectAccessPanel } from '../privacy/SubjectAccessExport';
import { ErasePerson } from '../privacy/ErasePerson';

const options = <T extends string>(values: readonly T[]) => values.map((value) => ({ value, label: humanize(value) }));

export function ContactDetail({ id }: { id: string }) {
  const [snapshot, editor] = useRecordEditor('contact', id);
  return (
    <DetailPage
      kind="contact"
      snapshot={snapshot}
      editor={editor}
      connections
      recordActions={<ErasePerson id={id} />}
      related={
        <>
          <RecordSessions id={id} kind="contact" />
          <OwnedActions id={id} />
          <SubjectAccessPanel id={id} />
        </>
      }
    >
      {(draft) => {
        const bind = binder('contact', snapshot, editor);
        return (
          <>
            <NoGroundFlag contact={draft} />
            <section className="form-section" aria-labelledby="about-heading">
              <h2 id="about-heading">About</h2>
              {/* The name first, and links to other views after the fields: the record's own fields come first in the Tab order. */}
              <TextField {...bind.text('name')} required autoComplete="off" />
              <RadioGroup {...bind.choice('type')} legend="This is" name="contact-type" options={options(CONTACT_TYPES)} />
              <CheckboxGroup {...bind.choice('roles')} legend="Roles" options={options(CONTACT_ROLES)} />
              <ThemeChips {...bind.choice('themes')} />
              <p>
                <a href={href('network', id)}>Show in network</a>
              </p>
            </section>
            <section className="form-section" aria-labelledby="details-heading">
              <h2 id="details-heading">Contact details</h2>
              <div className="field-row">
                <TextField {...bind.text('phone')} type="tel" />
                <TextField {...bind.text('email')} type="email" />
              </div>
              <TextField {...bind.text('address')} multiline rows={2} />
              <TextField {...bind.text('postcode')} className="field--short" />
            </section>
            <section className="form-section" aria-labelledby="notes-heading">
              <h2 id="notes-heading">Notes</h2>
              <TextField {...bind.text('notes')} label="Notes about this contact" multiline rows={4} />
            </section>
            <CapacityGrid
              skills={draft.skills}
              issues={snapshot.issues}
              onBlur={() => void editor.flush()}
              onChange={(skills, now) => editor.set('skills', skills, { now })}
            />
            <ConsentList
              contact={draft}
              issues={snapshot.issues}
              onConsents={(consents) => editor.set('consents', consents, { now: true })}
              onLawfulBasis={(basis) => editor.set('lawfulBasis', basis, { now: true })}
            />
          </>
        );
      }}
    </DetailPage>
  );
}
