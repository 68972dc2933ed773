// The desktop app's security policy as plain data and small pure functions, so that a
// Node test can check every item of Electron's security checklist without launching
// Electron (tests/unit/electron-security.test.ts). main.ts only wires these in.
import { resolve, sep } from 'node:path';
import type { BrowserWindowConstructorOptions, CustomScheme, WebPreferences } from 'electron';

/** The renderer is served from this privileged custom scheme, never from http or file. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldbook';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

// standard + secure give the scheme a real origin and a secure context (so 'self' in the
// CSP means app://fieldbook); fetch and CORS support let Vite's module scripts load.
// Deliberately not bypassCSP and not allowServiceWorkers.
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

/**
 * The Content-Security-Policy of the desktop app, sent as a response header with every
 * file of the renderer. renderer/index.html carries the same policy as a meta tag, plus
 * the loopback WebSocket the browser harness needs (the header keeps Electron stricter).
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // React and the rich-text editor set inline style attributes.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  // The data service is reached through a MessagePort, not the network.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => [directive, ...sources].join(' '))
  .join('; ');

const WEB_PREFERENCES: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  // Outside macOS, Chromium fetches Hunspell dictionaries from a Google CDN: a remote
  // request this app must not make. macOS uses the system spellchecker.
  spellcheck: process.platform === 'darwin',
};

/** The options of the one main window; `preload` is the bundled preload script. */
export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    title: 'Community Fieldbook',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: '#f6f4ee',
    webPreferences: { ...WEB_PREFERENCES, preload },
  };
}

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Whether `url` belongs to the app itself. (Node's URL gives custom schemes no origin, so compare scheme and host.) */
export function isAppUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** Only plain http(s) links to a named host, without embedded credentials, may go to the system browser. */
export function isSafeExternalUrl(url: unknown): url is string {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.hostname !== '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Requests the app's own session may make: its own files, inline data and blobs, and the
 * developer tools. Everything else (http, https, ws, file, ftp) is cancelled: no remote content.
 */
export function isAllowedRequestUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && (isAppUrl(url) || ['data:', 'blob:', 'devtools:'].includes(parsed.protocol));
}

/** What main.ts needs to know about an IPC message's sender (a subset of IpcMainEvent). */
export interface IpcSender {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/** IPC is answered only for the main frame of our own window showing our own page. */
export function isTrustedIpcSender(event: IpcSender, ownWebContents: unknown): boolean {
  const frame = event.senderFrame;
  return ownWebContents != null && event.sender === ownWebContents && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/**
 * The file under `rendererDir` an app:// URL names, or null when the URL is not the
 * app's or would escape `rendererDir` (`..`, encoded separators, NUL).
 */
export function appFilePath(rendererDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}
