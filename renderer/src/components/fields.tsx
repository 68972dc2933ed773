// Labelled form controls. Each shows its hint and the data service's message for its
// field, tied to the control with aria-describedby so screen readers read them too.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { DATE_FORMAT, DATE_TIME_FORMAT, readDateEntry, writeDateEntry, type DateEntry } from '../lib/date-entry';
import { fieldId, issueSentence } from '../lib/issues';

interface ShellProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: (describedBy: string | undefined) => ReactNode;
  className?: string;
}

export function FieldShell({ id, label, hint, error, children, className }: ShellProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {children(describedBy)}
      <FieldError id={errorId} label={label} error={error} />
    </div>
  );
}

export function FieldError({ id, label, error }: { id: string | undefined; label: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="field-error" id={id}>
      {issueSentence(label, error)}
    </p>
  );
}

/** A control's id: from its field path (error summaries link to it), else a generated one. */
function useFieldId(path: string | undefined): string {
  const generated = useId();
  return path ? fieldId(path) : generated;
}

interface TextProps {
  /** Field path, for the control's id (error summaries link to it). */
  path?: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string | undefined;
  hint?: ReactNode;
  type?: 'text' | 'email' | 'tel' | 'search' | 'password';
  multiline?: boolean;
  rows?: number;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  list?: string;
  className?: string;
  autoFocus?: boolean;
  disabled?: boolean;
}

export function TextField(props: TextProps) {
  const id = useFieldId(props.path);
  const common = {
    id,
    value: props.value,
    onChange: (e: { target: { value: string } }) => props.onChange(e.target.value),
    onBlur: props.onBlur,
    required: props.required,
    placeholder: props.placeholder,
    autoFocus: props.autoFocus,
    // For a field in a dialog, which can take focus only once open (see Dialog).
    'data-autofocus': props.autoFocus || undefined,
    disabled: props.disabled,
    'aria-invalid': props.error ? true : undefined,
  };
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} error={props.error} className={props.className}>
      {(describedBy) =>
        props.multiline ? (
          <textarea {...common} aria-describedby={describedBy} rows={props.rows ?? 4} />
        ) : (
          <input
            {...common}
            aria-describedby={describedBy}
            type={props.type ?? 'text'}
            autoComplete={props.autoComplete ?? 'off'}
            list={props.list}
          />
        )
      }
    </FieldShell>
  );
}

interface DateProps extends Pick<TextProps, 'path' | 'label' | 'onBlur' | 'error' | 'hint' | 'className' | 'disabled'> {
  /** YYYY-MM-DD, or YYYY-MM-DDTHH:mm with `withTime`; '' for none. */
  value: string;
  /** Called with a real date only, or '' when the field is emptied: nothing else is kept. */
  onChange: (value: string) => void;
  /** What is wrong with the text typed (null when it is a date or nothing), for forms that
   *  add or create on submit and must not go ahead without it. */
  onProblemChange?: (problem: string | null) => void;
  withTime?: boolean;
  /** Emptying it is refused like a date that cannot be. */
  required?: boolean;
}

/** The one way to enter a date: typed as DD/MM/YYYY (the format it shows), refused with a
 *  message in that format as soon as it cannot be a date, or when left unfinished. */
export function DateField(props: DateProps) {
  const id = useFieldId(props.path);
  const withTime = props.withTime ?? false;
  const format = withTime ? DATE_TIME_FORMAT : DATE_FORMAT;
  const [text, setText] = useState(() => writeDateEntry(props.value, withTime));
  const [left, setLeft] = useState(false);
  const [valueShown, setValueShown] = useState(props.value);
  const entry: DateEntry = props.required && !text.trim() ? { problem: 'is required', final: false } : readDateEntry(text, withTime);
  if (props.value !== valueShown) {
    // Another value came in (undo, a colleague's edit, an add row starting afresh): show it,
    // unless it is the date already typed, however it was typed.
    setValueShown(props.value);
    if (!('value' in entry) || entry.value !== props.value) {
      setText(writeDateEntry(props.value, withTime));
      setLeft(false);
    }
  }
  const problem = 'problem' in entry ? entry.problem : null;
  const { onProblemChange } = props;
  useEffect(() => onProblemChange?.(problem), [onProblemChange, problem]);
  const shownProblem = 'problem' in entry && (entry.final || left) ? entry.problem : undefined;
  const error = shownProblem ?? props.error;
  const formatId = `${id}-format`;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} error={error} className={`field--date${props.className ? ` ${props.className}` : ''}`}>
      {(describedBy) => (
        <>
          <input
            id={id}
            type="text"
            autoComplete="off"
            placeholder={format}
            value={text}
            disabled={props.disabled}
            onChange={(e) => {
              setText(e.target.value);
              setLeft(false);
              const typed = readDateEntry(e.target.value, withTime);
              if ('value' in typed && (typed.value || !props.required)) props.onChange(typed.value);
            }}
            onBlur={() => {
              setLeft(true);
              // Written back the way the field asks for it: 1/2/2026 reads 01/02/2026.
              if ('value' in entry) setText(writeDateEntry(entry.value, withTime));
              props.onBlur?.();
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={[describedBy, formatId].filter(Boolean).join(' ')}
          />
          <span id={formatId} hidden>
            Written {format}
          </span>
        </>
      )}
    </FieldShell>
  );
}

interface NumberProps {
  path?: string;
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  onBlur?: () => void;
  error?: string | undefined;
  hint?: ReactNode;
  min?: number;
  step?: number | 'any';
  className?: string;
  disabled?: boolean;
}

export function NumberField(props: NumberProps) {
  const id = useFieldId(props.path);
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} error={props.error} className={props.className}>
      {(describedBy) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={props.min}
          step={props.step}
          value={props.value ?? ''}
          disabled={props.disabled}
          onChange={(e) => {
            // Typing 12 after the 0 a field held makes 12, not "012": React leaves the text as
            // typed when it equals the number.
            const text = e.target.value.replace(/^(-?)0+(?=\d)/, '$1');
            if (text !== e.target.value) e.target.value = text;
            props.onChange(text === '' ? null : Number(text));
          }}
          onBlur={props.onBlur}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
        />
      )}
    </FieldShell>
  );
}

interface SelectProps<T extends string> {
  path?: string;
  label: string;
  value: T | '';
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  error?: string | undefined;
  hint?: ReactNode;
  /** Shown as the first, empty option (filters: "Any"). */
  emptyLabel?: string;
  className?: string;
  disabled?: boolean;
}

export function SelectField<T extends string>(props: SelectProps<T>) {
  const id = useFieldId(props.path);
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} error={props.error} className={props.className}>
      {(describedBy) => (
        <select
          id={id}
          value={props.value}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.value as T)}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
        >
          {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

interface ChoiceGroupProps<T extends string> {
  path: string;
  legend: string;
  options: readonly { value: T; label: string; hint?: string }[];
  error?: string | undefined;
  hint?: ReactNode;
  disabled?: boolean;
}

/** Checkboxes: any number of the options. */
export function CheckboxGroup<T extends string>(
  props: ChoiceGroupProps<T> & { value: readonly T[]; onChange: (value: T[]) => void },
) {
  return (
    <ChoiceFieldset {...props}>
      {(describedBy) =>
        props.options.map((o) => (
          <label key={o.value} className="choice">
            <input
              type="checkbox"
              disabled={props.disabled}
              checked={props.value.includes(o.value)}
              aria-describedby={describedBy}
              onChange={(e) =>
                props.onChange(
                  e.target.checked
                    ? props.options.map((x) => x.value).filter((v) => v === o.value || props.value.includes(v))
                    : props.value.filter((v) => v !== o.value),
                )
              }
            />
            <span>{o.label}</span>
          </label>
        ))
      }
    </ChoiceFieldset>
  );
}

/** Radio buttons: exactly one of the options, each optionally explained. */
export function RadioGroup<T extends string>(props: ChoiceGroupProps<T> & { value: T; onChange: (value: T) => void; name: string }) {
  return (
    <ChoiceFieldset {...props}>
      {(describedBy) =>
        props.options.map((o) => (
          <label key={o.value} className={`choice${o.hint ? ' choice--explained' : ''}`}>
            <input
              type="radio"
              name={props.name}
              disabled={props.disabled}
              checked={props.value === o.value}
              aria-describedby={describedBy}
              onChange={() => props.onChange(o.value)}
            />
            <span>
              <span className="choice-label">{o.label}</span>
              {o.hint && <span className="choice-hint">{o.hint}</span>}
            </span>
          </label>
        ))
      }
    </ChoiceFieldset>
  );
}

function ChoiceFieldset<T extends string>(
  props: ChoiceGroupProps<T> & { children: (describedBy: string | undefined) => ReactNode },
) {
  const id = fieldId(props.path);
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={`field choices${props.error ? ' field--invalid' : ''}`} id={id} tabIndex={-1}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p className="field-hint" id={hintId}>
          {props.hint}
        </p>
      )}
      <div className="choices-options">{props.children(describedBy)}</div>
      <FieldError id={errorId} label={props.legend} error={props.error} />
    </fieldset>
  );
}
