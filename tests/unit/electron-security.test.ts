// Electron's security checklist, checked on the policy the desktop app actually uses
// (main/electron/security.ts) without launching Electron: any regression fails here.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serveAppRequest } from '../../main/electron/app-protocol';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  appFilePath,
  isAllowedRequestUrl,
  isSafeExternalUrl,
  isTrustedIpcSender,
  mainWindowOptions,
} from '../../main/electron/security';

function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

const metaCsp = (() => {
  const html = readFileSync('renderer/index.html', 'utf8');
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  assert.ok(match, 'renderer/index.html has a Content-Security-Policy meta tag');
  return parseCsp(match[1]!);
})();

test('the window is isolated and sandboxed, with no Node in the page', () => {
  const options = mainWindowOptions('/app/dist/main/electron/preload.cjs');
  const prefs = options.webPreferences!;
  assert.equal(prefs.preload, '/app/dist/main/electron/preload.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.enableBlinkFeatures, undefined);
  // Outside macOS the spellchecker would download dictionaries from the internet.
  assert.equal(prefs.spellcheck, process.platform === 'darwin');
});

test('every window is made from mainWindowOptions: no other webPreferences anywhere in the shell', () => {
  for (const name of readdirSync('main/electron').filter((f) => f.endsWith('.ts') && f !== 'security.ts')) {
    const source = readFileSync(join('main/electron', name), 'utf8');
    assert.doesNotMatch(source, /webPreferences|nodeIntegration|contextIsolation|sandbox\s*:/, `${name} sets web preferences itself`);
    for (const match of source.matchAll(/new BrowserWindow\(([^)]*)/g)) {
      assert.match(match[1]!, /^mainWindowOptions\(/, `${name} creates a window without mainWindowOptions`);
    }
  }
});

test('the content security policy is strict: own files only, no eval, no plugins, no remote hosts', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);
  assert.deepEqual(csp.get('default-src'), ["'self'"]);
  assert.deepEqual(csp.get('script-src'), ["'self'"]);
  assert.deepEqual(csp.get('object-src'), ["'none'"]);
  assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(csp.get('form-action'), ["'none'"]);
  // The data service is reached through a MessagePort: no network at all.
  assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  for (const [directive, sources] of csp) {
    for (const source of sources) {
      assert.ok(!/unsafe-eval|unsafe-hashes|strict-dynamic/.test(source), `${directive} allows ${source}`);
      assert.ok(["'self'", "'none'", 'data:', 'blob:', "'unsafe-inline'"].includes(source), `${directive} allows the remote or wildcard source ${source}`);
      if (source === "'unsafe-inline'") assert.equal(directive, 'style-src', `${directive} allows inline code`);
      if (source === 'data:' || source === 'blob:') assert.equal(directive, 'img-src', `${directive} allows ${source}`);
    }
  }
});

// Directives a <meta> policy cannot deliver (browsers ignore them there, with a warning).
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox'];

test("renderer/index.html's meta policy is the same, plus only the harness's loopback WebSocket", () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);
  const expected = [...csp.keys()].filter((directive) => !HEADER_ONLY.includes(directive));
  assert.deepEqual([...metaCsp.keys()].sort(), expected.sort());
  for (const directive of expected) {
    const sources = csp.get(directive)!;
    const meta = metaCsp.get(directive)!;
    if (directive !== 'connect-src') {
      assert.deepEqual(meta, sources, `meta ${directive} differs from the app's header`);
      continue;
    }
    for (const source of sources) assert.ok(meta.includes(source), `meta connect-src lacks ${source}`);
    const extra = meta.filter((source) => !sources.includes(source));
    for (const source of extra) assert.match(source, /^ws:\/\/(127\.0\.0\.1|localhost):\*$/, `meta connect-src allows ${source}`);
  }
});

test('the app scheme is a secure standard origin that cannot bypass the CSP or install service workers', () => {
  assert.equal(APP_SCHEME_PRIVILEGES.privileges?.standard, true);
  assert.equal(APP_SCHEME_PRIVILEGES.privileges?.secure, true);
  assert.ok(!APP_SCHEME_PRIVILEGES.privileges?.bypassCSP);
  assert.ok(!APP_SCHEME_PRIVILEGES.privileges?.allowServiceWorkers);
  assert.match(APP_ENTRY_URL, new RegExp(`^${APP_SCHEME_PRIVILEGES.scheme}://`));
});

test('only plain http(s) links may be opened in the system browser', () => {
  for (const url of ['https://www.nurturedevelopment.org/abcd', 'http://example.org/page?q=1#top']) {
    assert.equal(isSafeExternalUrl(url), true, url);
  }
  for (const url of [
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'file:///etc/passwd',
    'file://server/share/doc.exe',
    'data:text/html,<script>alert(1)</script>',
    'app://fieldbook/index.html',
    'ms-msdt:/id PCWDiagnostic',
    'smb://host/share',
    'ftp://example.org/file',
    'mailto:someone@example.org',
    'https://user:secret@example.org/',
    '/relative/path',
    'not a url',
    '',
    42,
    null,
  ]) {
    assert.equal(isSafeExternalUrl(url), false, String(url));
  }
});

test('the session loads nothing but the app: remote and local-file requests are refused', () => {
  for (const url of [APP_ENTRY_URL, 'app://fieldbook/assets/index.js', 'data:image/png;base64,AAAA', 'blob:app://fieldbook/3f2a']) {
    assert.equal(isAllowedRequestUrl(url), true, url);
  }
  for (const url of ['https://example.org/', 'http://127.0.0.1:5174/', 'ws://127.0.0.1:5174/rpc', 'file:///etc/passwd', 'app://elsewhere/index.html', 'ftp://x/']) {
    assert.equal(isAllowedRequestUrl(url), false, url);
  }
});

test('IPC is answered only for the main frame of our own window showing our own page', () => {
  const ours = { id: 1 };
  const mainFrame = { url: APP_ENTRY_URL, parent: null };
  assert.equal(isTrustedIpcSender({ sender: ours, senderFrame: mainFrame }, ours), true);
  assert.equal(isTrustedIpcSender({ sender: { id: 2 }, senderFrame: mainFrame }, ours), false, 'another webContents');
  assert.equal(isTrustedIpcSender({ sender: ours, senderFrame: { url: APP_ENTRY_URL, parent: mainFrame } }, ours), false, 'a subframe');
  assert.equal(isTrustedIpcSender({ sender: ours, senderFrame: { url: 'https://evil.example/', parent: null } }, ours), false, 'a foreign page');
  assert.equal(isTrustedIpcSender({ sender: ours, senderFrame: { url: 'file:///tmp/x.html', parent: null } }, ours), false, 'a local file');
  assert.equal(isTrustedIpcSender({ sender: ours, senderFrame: null }, ours), false, 'a frame already gone');
  assert.equal(isTrustedIpcSender({ sender: undefined, senderFrame: mainFrame }, undefined), false, 'no window yet');
});

test('app:// serves files of the renderer directory only', () => {
  const root = join(tmpdir(), 'renderer');
  assert.equal(appFilePath(root, 'app://fieldbook/assets/index.js'), join(root, 'assets', 'index.js'));
  assert.equal(appFilePath(root, 'app://fieldbook/'), root);
  for (const url of [
    'app://fieldbook/../../etc/passwd',
    'app://fieldbook/..%2f..%2fetc%2fpasswd',
    'app://fieldbook/%2e%2e/%2e%2e/etc/passwd',
    'app://fieldbook/assets/..%5c..%5c..%5cwindows',
    'app://fieldbook/index.html%00.png',
    'app://fieldbook/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
  ]) {
    const file = appFilePath(root, url);
    assert.ok(file === null || file.startsWith(root), `${url} resolved to ${file}`);
  }
  assert.equal(appFilePath(root, 'app://fieldbook/..%2f..%2fetc%2fpasswd'), null);
  assert.equal(appFilePath(root, 'app://other/index.html'), null);
});

test('served files carry the CSP header, their real type and nosniff; traversal is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fieldbook-app-protocol-'));
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index.js'), 'export {};');
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');

  const script = await serveAppRequest(root, 'app://fieldbook/assets/index.js');
  assert.equal(script.status, 200);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(script.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(script.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(await script.text(), 'export {};');

  // A client-side route gets the app; a missing asset is a 404, not the app in disguise.
  const route = await serveAppRequest(root, 'app://fieldbook/contacts');
  assert.equal(route.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await route.text(), /<title>app<\/title>/);
  assert.equal((await serveAppRequest(root, 'app://fieldbook/assets/missing.js')).status, 404);

  assert.equal((await serveAppRequest(root, 'app://fieldbook/..%2fsecret.txt')).status, 403);
  assert.equal((await serveAppRequest(root, 'app://elsewhere/index.html')).status, 403);
});

test('the preload exposes three functions and never ipcRenderer itself', () => {
  const source = readFileSync('main/electron/preload.ts', 'utf8');
  const exposures = [...source.matchAll(/exposeInMainWorld\(\s*'([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(exposures, ['fieldbookDesktop']);
  // Every use of ipcRenderer is a call of .on, .send or .invoke on a named channel: it is
  // never passed, returned or stored where the page could reach it.
  const code = source.replace(/^import .*$/gm, '').replace(/\/\/.*$/gm, '');
  const uses = [...code.matchAll(/\bipcRenderer\b(.{0,20})/g)].map((m) => m[1]!);
  assert.ok(uses.length > 0);
  for (const use of uses) assert.match(use, /^\.(on|send|invoke)\(IPC\.\w+/, `ipcRenderer used as ${use}`);
  assert.doesNotMatch(source, /sendSync|\bremote\b|require\(/);
});
