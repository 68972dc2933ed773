import { CONNECTION_KINDS } from '../../../shared/domain';
import { recordHref } from '../app/router';
import { DateField, SelectField, TextField } from '../components/fields';
import { binder } from '../lib/bind';
import { humanize } from '../../../shared/format';
import { useRecordEditor } from '../lib/record-editor';
import { useConnections } from './ConnectionsPanel';
import { DetailPage } from './DetailPage';

export function ConnectionDetail({ id }: { id: string }) {
  const [snapshot, editor] = useRecordEditor('connection', id);
  // The view of a connection from one of its ends names and links both ends.
  const ends = useConnections(snapshot.record?.data.fromId).connections?.find((v) => v.id === id);
  return (
    <DetailPage kind="connection" snapshot={snapshot} editor={editor}>
      {(draft) => {
        const bind = binder('connection', snapshot, editor);
        return (
          <section className="form-section" aria-labelledby="connection-heading">
            <h2 id="connection-heading">Who or what is connected</h2>
            {ends && (
              <p className="connection-sentence">
                <a href={recordHref(ends.from.kind, ends.from.id)}>{ends.from.title}</a> <span>{humanize(draft.kind).toLowerCase()}</span>{' '}
                <a href={recordHref(ends.to.kind, ends.to.id)}>{ends.to.title}</a>
              </p>
            )}
            <SelectField {...bind.choice('kind')} label="Kind of connection" options={CONNECTION_KINDS.map((k) => ({ value: k, label: humanize(k) }))} />
            <TextField
              {...bind.text('note')}
              multiline
              rows={3}
              hint="How it came about, or anything that helps the next person make use of it."
            />
            <DateField
              path="date"
              label="Date"
              value={draft.date ?? ''}
              error={snapshot.issues.date}
              onChange={(date) => editor.set('date', date || null, { now: true })}
            />
          </section>
        );
      }}
    </DetailPage>
  );
}
