// Themes as removable chips, added by typing (Enter or comma) or by picking one of the
// suggested themes.
import { useId, useState } from 'react';
import { SUGGESTED_THEMES } from '../../../shared/domain';
import { fieldId } from '../lib/issues';
import { FieldError } from './fields';

interface Props {
  path: string;
  label: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
  disabled?: boolean;
  /** Offered while typing; tags have none. */
  suggestions?: readonly string[];
  /** What one entry is called, for the placeholder. */
  itemName?: string;
}

const normal = (theme: string) => theme.trim().toLowerCase();
const SUGGESTIONS_SHOWN = 6;

export function ThemeChips({ path, label, value, onChange, error, disabled, suggestions: offered = SUGGESTED_THEMES, itemName = 'theme' }: Props) {
  const [text, setText] = useState('');
  const id = fieldId(path);
  const hintId = useId();
  const errorId = error ? `${id}-error` : undefined;
  const add = (theme: string) => {
    const t = normal(theme);
    if (t && !value.includes(t)) onChange([...value, t]);
    setText('');
  };
  const typed = normal(text);
  const suggestions = offered.filter((t) => !value.includes(t) && t.includes(typed)).slice(0, SUGGESTIONS_SHOWN);
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {value.length > 0 && (
        <ul className="chips" aria-label={`${label} chosen`}>
          {/* Alphabetical: the data service keeps themes as a set, in no order of its own. */}
          {[...value].sort().map((theme) => (
            <li key={theme} className="chip">
              <span>{theme}</span>
              {!disabled && (
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${theme}`}
                  onClick={() => onChange(value.filter((t) => t !== theme))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <>
          <input
            id={id}
            value={text}
            placeholder={`Type a ${itemName} and press Enter`}
            aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              // A comma ends a theme, so "food, arts" can be typed in one go.
              const parts = e.target.value.split(',');
              if (parts.length > 1) {
                const merged = [...value];
                for (const p of parts.slice(0, -1).map(normal)) if (p && !merged.includes(p)) merged.push(p);
                onChange(merged);
              }
              setText(parts[parts.length - 1]!);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && text.trim()) {
                e.preventDefault();
                add(text);
              } else if (e.key === 'Backspace' && text === '' && value.length) {
                onChange(value.slice(0, -1));
              }
            }}
            onBlur={() => text.trim() && add(text)}
          />
          <p className="field-hint" id={hintId}>
            {suggestions.length > 0 ? 'Suggestions:' : 'Type your own and press Enter.'}
          </p>
          {suggestions.length > 0 && (
            <div className="suggestions">
              {suggestions.map((t) => (
                <button key={t} type="button" className="suggestion" onClick={() => add(t)} aria-label={`Add theme ${t}`}>
                  + {t}
                </button>
              ))}
            </div>
          )}
        </>
      )}
      <FieldError id={errorId} label={label} error={error} />
    </div>
  );
}
