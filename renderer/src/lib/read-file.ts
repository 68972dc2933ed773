// A chosen file's bytes as base64, by the browser's own encoder, to send to the data service.
export function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(blob);
  });
}

/**
 * A chosen file's bytes as base64 pieces of `chunkBytes`, in order, each with where it starts:
 * a file larger than one message (8 MB) travels to the data service in these.
 */
export async function* base64Chunks(file: Blob, chunkBytes: number): AsyncGenerator<{ offset: number; data: string }> {
  for (let offset = 0; offset < file.size; offset += chunkBytes) yield { offset, data: await blobToBase64(file.slice(offset, offset + chunkBytes)) };
}
