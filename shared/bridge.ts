// The whole surface the Electron preload exposes to the renderer. The renderer never
// sees ipcRenderer: it gets a MessagePort to the data service, posted to the window.

/** `window.postMessage` payload that carries the data-service MessagePort in `event.ports[0]`. */
export const DATA_SERVICE_PORT_MESSAGE = 'fieldbook:data-service-port';

/** IPC channel names used between preload and main. */
export const IPC = {
  requestPort: 'fieldbook:request-port',
  openExternal: 'fieldbook:open-external',
  saveFile: 'fieldbook:save-file',
} as const;

/** A file the page asks the user to save: main shows the system's save dialog and writes it. */
export interface SaveFileRequest {
  /** The name the save dialog suggests, e.g. `assets-2026-12-06.geojson`. */
  suggestedName: string;
  /** What the dialog's file-type list calls the format, e.g. `GeoJSON`. */
  formatName: string;
  /** The file's whole content: text, written as UTF-8, or bytes in base64 (a zip) with `encoding: 'base64'`. */
  content: string;
  encoding?: 'utf8' | 'base64';
}

/** What became of a save: written where the user chose, the dialog closed without saving, or writing failed. */
export type SaveFileResult = { state: 'saved'; path: string } | { state: 'cancelled' } | { state: 'failed'; message: string };

export interface DesktopBridge {
  /** Ask main for a (new) MessagePort to the data service; it arrives as a window message. */
  requestDataServicePort(): void;
  /** Open an http(s) link the user clicked in the system browser. */
  openExternal(url: string): void;
  /** Ask the user where to save a file and write it there; answers once the dialog is answered. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
}

declare global {
  interface Window {
    /** Present only inside the Electron app. */
    fieldbookDesktop?: DesktopBridge;
  }
}
