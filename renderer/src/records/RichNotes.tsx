// Session notes in a rich-text editor bound to this renderer's own replica of the
// record's Y.Doc. Local edits travel to the data service as Yjs updates, exactly as a
// sync peer's would; updates made elsewhere arrive as events and merge in.
import Collaboration from '@tiptap/extension-collaboration';
import Placeholder from '@tiptap/extension-placeholder';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from '../../../shared/base64';
import { call, errorMessage, onServiceEvent } from '../app/connection';

/** Transaction origin of updates that came from the data service, so they are not sent back. */
const REMOTE = Symbol('remote');
/** Keystrokes within this window travel as one merged update. */
const SEND_DELAY_MS = 300;
/** The XmlFragment the data service reads the notes from (see main/data-service/record-doc.ts). */
const NOTES_FIELD = 'rich:notes';

interface Props {
  id: string;
  labelledBy: string;
  disabled: boolean;
  /** Sends one (base64) Yjs update to the data service, under the record page's save status. */
  sendUpdate: (update: string) => Promise<void>;
}

export function RichNotes({ id, labelledBy, disabled, sendUpdate }: Props) {
  const [ydoc, setYdoc] = useState<Y.Doc | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    let open = true;
    let queued: Uint8Array[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopEvents = () => {};

    const send = (): Promise<unknown> => {
      clearTimeout(timer);
      if (!queued.length) return Promise.resolve();
      const update = toBase64(Y.mergeUpdates(queued));
      queued = [];
      return sendUpdate(update).catch(() => {});
    };
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      queued.push(update);
      clearTimeout(timer);
      timer = setTimeout(() => void send(), SEND_DELAY_MS);
    };
    const onHide = () => void send();

    call('doc.open', { id }).then(
      ({ state }) => {
        if (!open) return;
        Y.applyUpdate(doc, fromBase64(state), REMOTE);
        doc.on('update', onUpdate);
        stopEvents = onServiceEvent((event) => {
          if (event.name === 'doc.update' && event.id === id) Y.applyUpdate(doc, fromBase64(event.update), REMOTE);
        });
        window.addEventListener('pagehide', onHide);
        setYdoc(doc);
      },
      (e) => setError(errorMessage(e)),
    );
    return () => {
      open = false;
      stopEvents();
      window.removeEventListener('pagehide', onHide);
      doc.off('update', onUpdate);
      // The last keystrokes go out before the doc is closed on the data service's side.
      void send().finally(() => {
        call('doc.close', { id }).catch(() => {});
        doc.destroy();
      });
    };
  }, [id, sendUpdate]);

  if (error) return <p className="banner banner--error">The notes could not be opened: {error}</p>;
  if (!ydoc) return <p className="loading">Opening notes…</p>;
  return <NotesEditor ydoc={ydoc} labelledBy={labelledBy} disabled={disabled} />;
}

function NotesEditor({ ydoc, labelledBy, disabled }: { ydoc: Y.Doc; labelledBy: string; disabled: boolean }) {
  const editor = useEditor(
    {
      extensions: [
        // Undo inside the notes is Yjs's own (from Collaboration), which only undoes this person's edits.
        StarterKit.configure({ undoRedo: false, link: { openOnClick: false } }),
        Collaboration.configure({ document: ydoc, field: NOTES_FIELD }),
        Placeholder.configure({ placeholder: 'What did people say? Type freely — notes save as you go.' }),
      ],
      editable: !disabled,
      editorProps: {
        attributes: {
          class: 'rich-editor',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelledBy,
        },
      },
    },
    [ydoc],
  );
  useEffect(() => editor.setEditable(!disabled), [editor, disabled]);
  return (
    <div className="rich">
      {!disabled && <Toolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

function Toolbar({ editor }: { editor: Editor }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading: e.isActive('heading', { level: 3 }),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
    }),
  });
  const buttons = [
    { key: 'bold', label: 'Bold', text: 'B', shortcut: `${mod}B`, run: () => editor.chain().focus().toggleBold().run() },
    { key: 'italic', label: 'Italic', text: 'I', shortcut: `${mod}I`, run: () => editor.chain().focus().toggleItalic().run() },
    { key: 'heading', label: 'Heading', text: 'H', shortcut: '', run: () => editor.chain().focus().toggleHeading({ level: 3 }).run() },
    { key: 'bulletList', label: 'Bulleted list', text: '•', shortcut: '', run: () => editor.chain().focus().toggleBulletList().run() },
    { key: 'orderedList', label: 'Numbered list', text: '1.', shortcut: '', run: () => editor.chain().focus().toggleOrderedList().run() },
  ] as const;
  return (
    <div className="rich-toolbar" role="toolbar" aria-label="Formatting">
      {buttons.map((b) => (
        <button
          key={b.key}
          type="button"
          className={`rich-button rich-button--${b.key}`}
          aria-pressed={active[b.key]}
          aria-label={b.label}
          title={b.shortcut ? `${b.label} (${b.shortcut})` : b.label}
          onMouseDown={(e) => e.preventDefault()}
          onClick={b.run}
        >
          {b.text}
        </button>
      ))}
    </div>
  );
}
