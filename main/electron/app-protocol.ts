// Serves the built renderer (dist/renderer) under app://fieldbook/ with the CSP header.
// Plain Node (a fetch Response), so tests can call it without Electron.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CONTENT_SECURITY_POLICY, appFilePath } from './security';

// Set explicitly: module scripts need a JavaScript type, and nosniff forbids guessing.
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export async function serveAppRequest(rendererDir: string, url: string): Promise<Response> {
  const file = appFilePath(rendererDir, url);
  if (!file) return new Response('Forbidden', { status: 403 });
  // A path without an extension (the root, a client-side route) gets the app itself.
  const target = extname(file) === '' ? join(rendererDir, 'index.html') : file;
  let body: Buffer;
  try {
    body = await readFile(target);
  } catch {
    return new Response('Not found', { status: 404 });
  }
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  });
}
