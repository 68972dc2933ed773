// RPC handlers of the import's part of the contract (shared/rpc-import.ts). A file opened
// is held for the connection that opened it, and forgotten when that connection goes.
import { RpcError } from '../../../shared/rpc';
import type { IMPORT_RPC_METHODS } from '../../../shared/rpc-import';
import type { HandlerContext, HandlersFor } from '../rpc-areas';
import type { RegisterTarget } from '../../../shared/rpc-import';
import { describeFile, findImportDuplicatesInBackground, previewRows, readImportFile, RecordImports, saveMapping, type OpenedFile } from './record-import';
import { previewRegister, RegisterImports } from './register-import';
import { ImportUploads } from './upload';

export function importHandlers({ service, connection }: HandlerContext): HandlersFor<keyof typeof IMPORT_RPC_METHODS> {
  const ws = () => service.workspace;
  const files = new Map<string, OpenedFile>();
  const uploads = new ImportUploads();
  // A file forgotten stops the duplicate check begun for it.
  const forgetFiles = () => {
    for (const file of files.values()) file.scan?.cancel();
    files.clear();
  };
  connection.onClose(() => {
    forgetFiles();
    uploads.clear();
  });
  const fileOf = (fileId: string) => {
    const file = files.get(fileId);
    if (!file) throw new RpcError('not_found', 'that file is no longer open: choose it again', [{ field: 'fileId', message: 'is not an open file' }]);
    return file;
  };
  const imports = () => new RecordImports(ws());
  return {
    'import.upload': (p) => uploads.start(p.kind, p.fileName, p.bytes),
    'import.uploadChunk': (p) => uploads.append(p.uploadId, p.offset, Buffer.from(p.data, 'base64')),
    'import.open': (p) => {
      const upload = uploads.take(p.uploadId);
      const file = readImportFile(upload.kind, upload.fileName, upload.bytes);
      // One file at a time per window: a new choice replaces the last.
      forgetFiles();
      files.set(file.id, file);
      // The workspace's records are read for the duplicate check while the person maps and previews the rows.
      if (file.kind !== 'register') file.scan = service.duplicateScans.beginImport(ws(), file.kind) ?? undefined;
      return describeFile(ws(), file);
    },
    'import.preview': (p) => {
      const file = fileOf(p.fileId);
      return file.kind === 'register' ? previewRegister(file, p.targets as RegisterTarget[], p.register) : previewRows(file, p);
    },
    'import.saveMapping': (p) => {
      saveMapping(ws(), fileOf(p.fileId), p.targets);
      return null;
    },
    // A register's attendees are matched to contacts as it is imported, not decided row by row.
    'import.duplicates': (p) => {
      const file = fileOf(p.fileId);
      return file.kind === 'register' ? [] : findImportDuplicatesInBackground(ws(), file, p, service.duplicateScans);
    },
    'import.start': (p) => {
      const file = fileOf(p.fileId);
      return file.kind === 'register' ? new RegisterImports(ws()).start(file, { ...p, targets: p.targets as RegisterTarget[] }) : imports().start(file, p);
    },
    'import.resume': (p) => imports().resume(fileOf(p.fileId), p.batchId),
    'import.step': (p) => {
      const file = fileOf(p.fileId);
      return file.kind === 'register' ? new RegisterImports(ws()).step(file, p.batchId) : imports().step(file, p.batchId);
    },
    'import.batches': () => ws().imports.list(),
    'import.undo': (p) => imports().undo(p.batchId),
  };
}
