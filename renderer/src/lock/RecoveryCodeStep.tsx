// The recovery code, shown once, right after a workspace is encrypted: it opens the workspace
// if the passphrase is forgotten or the computer's keychain is lost, and exists nowhere else.
// The user copies it or saves it as a file, and says they have stored it before going on.
import { useEffect, useRef, useState } from 'react';
import { copyCode, SELECTED_TO_COPY } from '../lib/copy-code';
import { saveFile } from '../lib/save-file';

interface Props {
  code: string;
  workspaceName: string;
  onDone: () => void;
}

export function RecoveryCodeStep({ code, workspaceName, onDone }: Props) {
  const [stored, setStored] = useState(false);
  const [said, setSaid] = useState('');
  const codeRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A new screen in place of the form: a screen reader starts reading at its heading.
  useEffect(() => headingRef.current?.focus(), []);

  const copy = async () => {
    const copied = await copyCode(code, codeRef.current);
    setSaid(copied ? 'Copied. Paste it somewhere safe that is not this computer, such as a password manager.' : SELECTED_TO_COPY);
  };

  const save = async () => {
    const outcome = await saveFile({
      suggestedName: 'community-fieldbook-recovery-code.txt',
      formatName: 'Text',
      mime: 'text/plain',
      content: `Community Fieldbook recovery code for the workspace “${workspaceName}”\n\n${code}\n\nIt opens the workspace if its passphrase is forgotten or this computer’s keychain is lost. Keep it away from the computer.\n`,
    });
    if (outcome.state === 'saved') setSaid(`Saved to ${outcome.path}. Move it off this computer (a USB stick in a locked drawer, say), or print it and delete the file.`);
    else if (outcome.state === 'downloading') setSaid(`Your browser is saving ${outcome.name} to its downloads. Move it off this computer, or print it and delete the file.`);
    else if (outcome.state === 'cancelled') setSaid('Not saved: the save dialog was closed.');
    else setSaid(`Not saved: ${outcome.message}`);
  };

  return (
    <div className="first-run-card">
      <h1 tabIndex={-1} ref={headingRef}>
        Your recovery code
      </h1>
      <p>
        If you forget your passphrase, or this computer’s keychain is lost (a new login, a reinstalled system), this code is the only way to
        open your workspace. <strong>It is shown only now</strong>, and nobody — not your team lead, not the app’s makers — can get it back.
      </p>
      <p className="recovery-code">
        <span className="visually-hidden">Recovery code: </span>
        <code ref={codeRef}>{code}</code>
      </p>
      <div className="recovery-code-actions">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="button" onClick={() => void save()}>
          Save as file
        </button>
      </div>
      <p role="status" className="field-hint">
        {said}
      </p>
      <label className="checkbox-row">
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />I have stored it safely, away from this computer
      </label>
      <button type="button" className="button button--primary button--large" disabled={!stored} onClick={onDone}>
        Continue
      </button>
    </div>
  );
}
