// The whole surface the Electron preload exposes to the renderer. The renderer never
// sees ipcRenderer: it gets a MessagePort to the data service, posted to the window.

/** `window.postMessage` payload that carries the data-service MessagePort in `event.ports[0]`. */
export const DATA_SERVICE_PORT_MESSAGE = 'fieldbook:data-service-port';

/** IPC channel names used between preload and main. */
export const IPC = {
  requestPort: 'fieldbook:request-port',
  openExternal: 'fieldbook:open-external',
} as const;

export interface DesktopBridge {
  /** Ask main for a (new) MessagePort to the data service; it arrives as a window message. */
  requestDataServicePort(): void;
  /** Open an http(s) link the user clicked in the system browser. */
  openExternal(url: string): void;
}

declare global {
  interface Window {
    /** Present only inside the Electron app. */
    fieldbookDesktop?: DesktopBridge;
  }
}
