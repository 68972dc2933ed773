// Development and test harness: serves the built renderer over HTTP and the real data
// service over a WebSocket carrying the same RPC contract the Electron app uses, so the
// real UI runs in any browser (Playwright's Chromium in the e2e tests).
//
//   npm run harness -- --data-dir .tmp/harness --port 5174 [--passphrase-file <file>]
//
// Like the app where the OS has no keychain, the harness's workspace is protected by a
// passphrase: the page asks for it at start, unless a script named a file holding it.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { DataService, type DataServiceOptions } from '../data-service/data-service';
import { MAX_MESSAGE_CHARS, ServiceConnection } from '../data-service/service-connection';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface Harness {
  url: string;
  service: DataService;
  close(): Promise<void>;
}

export async function startHarness(options: { dataDir: string; port?: number; rendererDir?: string; service?: DataServiceOptions }): Promise<Harness> {
  const rendererDir = resolve(options.rendererDir ?? 'dist/renderer');
  const service = new DataService(options.dataDir, options.service);

  const http: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(rendererDir, path));
    if (!file.startsWith(rendererDir)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('The renderer is not built: run `npm run build` first.');
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });

  const sockets = new WebSocketServer({ server: http, path: '/rpc', maxPayload: MAX_MESSAGE_CHARS });
  sockets.on('connection', (socket) => {
    const connection = new ServiceConnection(service, (text) => socket.send(text));
    socket.on('message', (data) => connection.receive(data.toString()));
    socket.on('close', () => connection.close());
  });

  await new Promise<void>((done) => http.listen(options.port ?? 0, '127.0.0.1', done));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    service,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((done) => sockets.close(() => done()));
      // Browsers hold keep-alive connections open; without this, close waits for them to time out.
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
      service.close();
    },
  };
}

const isEntryPoint = process.argv[1] && resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === resolve(import.meta.filename ?? '').replace(/\.[cm]?[jt]s$/, '');
if (isEntryPoint) {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: '.tmp/harness' },
      port: { type: 'string', default: '5174' },
      'passphrase-file': { type: 'string' },
    },
  });
  const harness = await startHarness({ dataDir: values['data-dir']!, port: Number(values.port) });
  const passphraseFile = values['passphrase-file'];
  if (passphraseFile && harness.service.profile().state === 'locked') {
    await harness.service.unlock({ passphrase: readFileSync(passphraseFile, 'utf8').replace(/\r?\n$/, '') });
  }
  console.log(`Community Fieldbook harness: open ${harness.url} (data in ${values['data-dir']})`);
  const stop = () => void harness.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
