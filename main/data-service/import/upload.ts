// A file to import, received in chunks (import.upload, import.uploadChunk): one RPC message
// is limited to 8 MB, and a 50,000-row spreadsheet is 10 MB. The bytes are held in memory
// until the file is opened; they are small next to the rows read from them.
import { randomUUID } from 'node:crypto';
import { RpcError } from '../../../shared/rpc';
import type { ImportKind } from '../../../shared/rpc-import';
import { checkChunk } from '../chunked-upload';

export interface Upload {
  kind: ImportKind;
  fileName: string;
  bytes: Buffer;
  received: number;
}

export class ImportUploads {
  private readonly uploads = new Map<string, Upload>();

  /** One file at a time per window: a new one replaces any upload not yet opened. */
  start(kind: ImportKind, fileName: string, bytes: number): { uploadId: string } {
    this.uploads.clear();
    const uploadId = randomUUID();
    this.uploads.set(uploadId, { kind, fileName, bytes: Buffer.alloc(bytes), received: 0 });
    return { uploadId };
  }

  append(uploadId: string, offset: number, data: Uint8Array): { received: number } {
    const upload = this.get(uploadId);
    checkChunk({ bytes: upload.bytes.length, received: upload.received }, offset, data.length);
    upload.bytes.set(data, offset);
    upload.received += data.length;
    return { received: upload.received };
  }

  /** The whole file, forgotten here; refused if bytes are missing. */
  take(uploadId: string): Upload {
    const upload = this.get(uploadId);
    this.uploads.delete(uploadId);
    if (upload.received !== upload.bytes.length) {
      throw new RpcError('invalid', `${upload.fileName}: only ${upload.received} of ${upload.bytes.length} bytes arrived; choose the file again`, [{ field: 'uploadId', message: 'the file has not all arrived' }]);
    }
    return upload;
  }

  clear(): void {
    this.uploads.clear();
  }

  private get(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new RpcError('not_found', 'that file is no longer being received: choose it again', [{ field: 'uploadId', message: 'no such upload' }]);
    return upload;
  }
}
