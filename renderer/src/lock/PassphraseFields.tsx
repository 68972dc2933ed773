// A new passphrase, typed twice, with the rule it must meet said beside it. The form that
// holds it checks the two agree (passphrasesDiffer) before sending; the data service
// checks the rule.
import { PASSPHRASE_RULE } from '../../../shared/rpc';
import { TextField } from '../components/fields';
import type { Issues } from '../lib/issues';

export interface NewPassphrase {
  passphrase: string;
  repeat: string;
}

export const EMPTY_PASSPHRASE: NewPassphrase = { passphrase: '', repeat: '' };

/**
 * What only the form can tell before a new passphrase is sent: that the two typings differ
 * (the data service checks the rule, with the form's other fields). Shows it, and says so.
 */
export function passphrasesDiffer(value: NewPassphrase, path: string, setIssues: (issues: Issues) => void): boolean {
  const differ = value.passphrase !== value.repeat;
  setIssues(differ ? { [`${path}Repeat`]: 'does not match the passphrase above: type the same passphrase twice' } : {});
  return differ;
}

interface Props {
  /** The field path the data service names (`passphrase`, `newPassphrase`, `next`). */
  path: string;
  label: string;
  value: NewPassphrase;
  onChange: (value: NewPassphrase) => void;
  issues: Issues;
  autoFocus?: boolean;
}

export function PassphraseFields({ path, label, value, onChange, issues, autoFocus }: Props) {
  return (
    <>
      <TextField
        path={path}
        type="password"
        label={label}
        hint={
          <>
            It must be {PASSPHRASE_RULE}. You will type it each time you open Community Fieldbook. Anyone who has this computer and not the
            passphrase cannot read your records.
          </>
        }
        value={value.passphrase}
        onChange={(passphrase) => onChange({ ...value, passphrase })}
        error={issues[path]}
        autoComplete="new-password"
        autoFocus={autoFocus}
      />
      <TextField
        path={`${path}Repeat`}
        type="password"
        label="Type the passphrase again"
        value={value.repeat}
        onChange={(repeat) => onChange({ ...value, repeat })}
        error={issues[`${path}Repeat`]}
        autoComplete="new-password"
      />
    </>
  );
}
