// Saving a file the app made (an export). In the desktop app, main shows the system's save
// dialog and the answer says where the file went, or that the user closed the dialog; in a
// browser (the harness) the file is handed to the browser's downloads, which tells nothing back.
import type { SaveFileRequest, SaveFileResult } from '../../../shared/bridge';

export type SaveOutcome = SaveFileResult | { state: 'downloading'; name: string };

export async function saveFile(request: SaveFileRequest & { mime: string }): Promise<SaveOutcome> {
  const desktop = window.fieldbookDesktop;
  if (desktop) {
    const { mime: _mime, ...file } = request;
    return desktop.saveFile(file);
  }
  const link = document.createElement('a');
  const content = request.encoding === 'base64' ? Uint8Array.from(atob(request.content), (c) => c.charCodeAt(0)) : request.content;
  link.href = URL.createObjectURL(new Blob([content], { type: request.mime }));
  link.download = request.suggestedName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return { state: 'downloading', name: request.suggestedName };
}
