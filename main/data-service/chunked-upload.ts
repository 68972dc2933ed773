// A file sent to the data service in chunks, as the renderer reads it (one RPC message is
// limited in size): map packs and import files alike.
import { RpcError } from '../../shared/rpc';

/** How much of an announced file has arrived. */
export interface ChunkedUpload {
  /** Bytes announced. */
  bytes: number;
  received: number;
}

/** Refuse a chunk that is not the next one, or that would go past the bytes announced. */
export function checkChunk(upload: ChunkedUpload, offset: number, length: number): void {
  if (offset !== upload.received) throw RpcError.invalid([{ field: 'offset', message: `expected the chunk at byte ${upload.received}, got one at ${offset}` }]);
  if (upload.received + length > upload.bytes) throw RpcError.invalid([{ field: 'data', message: `more bytes than the ${upload.bytes} announced` }]);
}
