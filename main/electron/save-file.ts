// Saving a file the page made (an export) where the user chooses: main checks the request,
// shows the system's save dialog and writes the file, and tells the page what became of it
// only once the dialog is answered. Plain logic; main.ts supplies Electron's dialog.
import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import type { SaveFileRequest, SaveFileResult } from '../../shared/bridge';

/** The largest file the page may ask to save (text, in UTF-16 code units): far above any export. */
const MAX_CONTENT_LENGTH = 512 * 1024 * 1024;

const SaveFileRequestSchema = z.object({
  // A plain file name with an extension, never a path: where it goes is the user's choice.
  suggestedName: z
    .string()
    .min(3)
    .max(200)
    .refine((name) => basename(name) === name && !name.includes('\\') && extname(name).length > 1, 'must be a file name with an extension'),
  formatName: z.string().min(1).max(60),
  content: z.string().max(MAX_CONTENT_LENGTH),
  encoding: z.enum(['utf8', 'base64']).optional(),
});

/** The request as the page sent it, or null if it is not a well-formed one. */
export function parseSaveFileRequest(value: unknown): SaveFileRequest | null {
  const parsed = SaveFileRequestSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Asks the user where to save; resolves to the chosen path, or undefined if the dialog was closed. */
export type ChooseSavePath = (suggestedName: string, filter: { name: string; extensions: string[] }) => Promise<string | undefined>;

export async function saveWhereChosen(request: SaveFileRequest, choosePath: ChooseSavePath): Promise<SaveFileResult> {
  const extension = extname(request.suggestedName).slice(1);
  const path = await choosePath(request.suggestedName, { name: request.formatName, extensions: [extension] });
  if (!path) return { state: 'cancelled' };
  try {
    await writeFile(path, Buffer.from(request.content, request.encoding ?? 'utf8'));
    return { state: 'saved', path };
  } catch (error) {
    return { state: 'failed', message: `${path} could not be written: ${(error as Error).message}` };
  }
}
