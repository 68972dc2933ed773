// Wiring a form control to a record editor: its value from the draft, its label, its
// issue (or the value it holds that could not be read), and saving as typed (debounced)
// and on blur (at once).
import type { DataOf, RecordKind } from '../../../shared/domain';
import { fieldLabel } from '../../../shared/labels';
import { problemIssues } from './issues';
import type { EditorSnapshot, RecordEditor } from './record-editor';

type FieldsOfType<T, V> = { [P in keyof T]-?: T[P] extends V ? P : never }[keyof T] & string;

export function binder<K extends RecordKind>(kind: K, snapshot: EditorSnapshot<K>, editor: RecordEditor<K>) {
  const draft = snapshot.draft!;
  // A value sync brought that could not be read is flagged where it shows, until replaced.
  const problems = problemIssues(snapshot.record?.problems);
  const common = (field: string) => ({
    path: field,
    label: fieldLabel(kind, field),
    error: snapshot.issues[field] ?? problems[field],
    onBlur: () => void editor.flush(),
  });
  return {
    text: <F extends FieldsOfType<DataOf<K>, string>>(field: F) => ({
      ...common(field),
      value: draft[field] as string,
      onChange: (value: string) => editor.set(field, value as DataOf<K>[F]),
    }),
    /** Choices (selects, radios, checkboxes) save at once: there is no typing to wait for. */
    choice: <F extends keyof DataOf<K> & string>(field: F) => ({
      ...common(field),
      value: draft[field],
      onChange: (value: DataOf<K>[F]) => editor.set(field, value, { now: true }),
    }),
  };
}
