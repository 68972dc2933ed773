// The preload: the whole bridge between the sandboxed page and main (shared/bridge.ts).
// It exposes three functions, never ipcRenderer itself, and hands the data-service port
// to the page as a window message.
import { contextBridge, ipcRenderer } from 'electron';
import { DATA_SERVICE_PORT_MESSAGE, IPC, type DesktopBridge, type SaveFileResult } from '../../shared/bridge';

ipcRenderer.on(IPC.requestPort, (event) => {
  const [port] = event.ports;
  // Only this page's own origin may receive the port.
  if (port) window.postMessage(DATA_SERVICE_PORT_MESSAGE, window.location.origin, [port]);
});

const bridge: DesktopBridge = {
  requestDataServicePort: () => ipcRenderer.send(IPC.requestPort),
  openExternal: (url) => {
    if (typeof url === 'string') ipcRenderer.send(IPC.openExternal, url);
  },
  saveFile: (request) => ipcRenderer.invoke(IPC.saveFile, request) as Promise<SaveFileResult>,
};

contextBridge.exposeInMainWorld('fieldbookDesktop', bridge);
