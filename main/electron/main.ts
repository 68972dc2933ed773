// Electron main process: a thin shell. It owns the window, the menu, the security policy
// and the lifecycle; the data service runs in a utility process and each page talks to
// it over its own MessagePort. No application logic lives here.
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, protocol, session, shell, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { IPC, type SaveFileResult } from '../../shared/bridge';
import { SQLITE_BINDING_ENV, SQLITE_DRIVER } from '../../shared/sqlite-binding';
import { serveAppRequest } from './app-protocol';
import { installApplicationMenu } from './menu';
import { parseSaveFileRequest, saveWhereChosen } from './save-file';
import { DataServiceHost, type UnexpectedExit } from './service-host';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  isAllowedRequestUrl,
  isSafeExternalUrl,
  isTrustedIpcSender,
  mainWindowOptions,
} from './security';

// Bundled layout: dist/main/electron/{main,preload}.cjs, dist/main/data-service/, dist/renderer/.
const PRELOAD = join(__dirname, 'preload.cjs');
const SERVICE_ENTRY = join(__dirname, '..', 'data-service', 'service-process.cjs');
const RENDERER_DIR = join(__dirname, '..', '..', 'renderer');

// `--user-data-dir=<dir>` keeps everything (data and Chromium's profile) in one place: a
// portable copy for a training room, or a throwaway profile in tests. Set before the
// single-instance lock, which lives in the userData directory.
const userDataSwitch = app.commandLine.getSwitchValue('user-data-dir');
if (userDataSwitch) app.setPath('userData', resolve(userDataSwitch));

let mainWindow: BrowserWindow | null = null;
let host: DataServiceHost | null = null;
let serviceStopped = false;
let crashNoticeOpen = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    // The page never navigates away (in-page routing does not fire this), and opens no windows.
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', stopServiceBeforeQuit);
  void app.whenReady().then(start);
}

function start(): void {
  const dataDir = join(app.getPath('userData'), 'fieldbook');
  secureSession();
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(RENDERER_DIR, request.url));
  ipcMain.on(IPC.requestPort, onRequestPort);
  ipcMain.on(IPC.openExternal, onOpenExternal);
  ipcMain.handle(IPC.saveFile, onSaveFile);

  // The packaged app's SQLite driver was rebuilt for Electron and unpacked from the archive
  // (electron-builder.yml); `npm start` names its own Electron build (scripts/electron-native.mjs).
  if (app.isPackaged) process.env[SQLITE_BINDING_ENV] ??= join(process.resourcesPath, 'app.asar.unpacked', 'node_modules', SQLITE_DRIVER, 'build', 'Release', 'better_sqlite3.node');
  host = new DataServiceHost(SERVICE_ENTRY, dataDir, onServiceExit);
  host.start();

  app.setAboutPanelOptions({ applicationName: 'Community Fieldbook', applicationVersion: app.getVersion() });
  installApplicationMenu({ isDevelopment: !app.isPackaged, showDataFolder: () => void shell.openPath(dataDir) });
  createWindow();
  app.on('activate', () => {
    if (!mainWindow) createWindow();
  });
}

function secureSession(): void {
  const { defaultSession } = session;
  // No remote content: requests outside the app's own files are cancelled.
  defaultSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequestUrl(details.url) }));
  // Camera, microphone, location, notifications, devices: the app asks for none of them.
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  defaultSession.setDevicePermissionHandler(() => false);
}

function createWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(PRELOAD));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(APP_ENTRY_URL);
  mainWindow = window;
}

/** The preload asks for a port to the data service: one new channel per request (page load). */
function onRequestPort(event: IpcMainEvent): void {
  if (!host || !isTrustedIpcSender(event, mainWindow?.webContents)) return;
  const { port1, port2 } = new MessageChannelMain();
  host.connect(port1);
  event.sender.postMessage(IPC.requestPort, null, [port2]);
}

function onOpenExternal(event: IpcMainEvent, url: unknown): void {
  if (isTrustedIpcSender(event, mainWindow?.webContents) && isSafeExternalUrl(url)) void shell.openExternal(url);
}

async function onSaveFile(event: IpcMainInvokeEvent, request: unknown): Promise<SaveFileResult> {
  if (!mainWindow || !isTrustedIpcSender(event, mainWindow.webContents)) return { state: 'failed', message: 'not allowed from this page' };
  const parsed = parseSaveFileRequest(request);
  if (!parsed) return { state: 'failed', message: 'the file to save was not well formed' };
  const window = mainWindow;
  return saveWhereChosen(parsed, async (suggestedName, filter) => {
    const answer = await dialog.showSaveDialog(window, { defaultPath: join(app.getPath('downloads'), suggestedName), filters: [filter] });
    return answer.canceled ? undefined : answer.filePath;
  });
}

function onServiceExit({ code, restarted }: UnexpectedExit): void {
  // The pages' ports died with the service; reloading makes them ask for new ones.
  if (restarted) for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
  const options = {
    type: 'error' as const,
    title: 'Community Fieldbook',
    message: 'The data service stopped unexpectedly.',
    detail:
      (restarted
        ? 'It has been restarted and the window reloaded. Everything that was saved is safe; an edit made in the last moment may need to be made again.'
        : 'It keeps stopping, so Community Fieldbook will close now. Everything that was saved is safe. If this happens again, use Help › Show Data Folder and send the folder to your support contact.') +
      ` (exit code ${code})`,
  };
  // One "restarted" notice at a time: a service failing on start would otherwise stack them.
  if (restarted && crashNoticeOpen) return;
  crashNoticeOpen = true;
  const shown = mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options);
  void shown.then(() => {
    crashNoticeOpen = false;
    if (!restarted) app.quit();
  });
}

/** Quit only after the data service has closed its database (or the timeout passed). */
function stopServiceBeforeQuit(event: Electron.Event): void {
  if (serviceStopped || !host) return;
  event.preventDefault();
  void host.stop().then(() => {
    serviceStopped = true;
    app.quit();
  });
}
