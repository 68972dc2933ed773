// Connects the renderer to the data service: through the MessagePort the Electron
// preload hands over, or, in a plain browser (the harness), through a WebSocket.
import { DATA_SERVICE_PORT_MESSAGE } from '../../../shared/bridge';
import type { Transport } from '../../../shared/rpc-client';

export interface ConnectedTransport extends Transport {
  /** Called once if the connection to the data service is lost. */
  onClose(listener: () => void): void;
}

function connectDesktop(): Promise<ConnectedTransport> {
  return new Promise((resolve) => {
    const onWindowMessage = (event: MessageEvent) => {
      if (event.source !== window || event.data !== DATA_SERVICE_PORT_MESSAGE || !event.ports[0]) return;
      window.removeEventListener('message', onWindowMessage);
      const port = event.ports[0];
      let receive: (text: string) => void = () => {};
      port.onmessage = (e) => receive(String(e.data));
      port.start();
      resolve({ send: (text) => port.postMessage(text), onMessage: (r) => (receive = r), onClose: () => {} });
    };
    window.addEventListener('message', onWindowMessage);
    window.fieldbookDesktop!.requestDataServicePort();
  });
}

function connectWebSocket(): Promise<ConnectedTransport> {
  const url = new URL('rpc', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  return new Promise((resolve, reject) => {
    let receive: (text: string) => void = () => {};
    const closeListeners: (() => void)[] = [];
    socket.onmessage = (e) => receive(String(e.data));
    socket.onclose = () => closeListeners.forEach((l) => l());
    socket.onerror = () => reject(new Error(`could not reach the data service at ${url.href}`));
    socket.onopen = () =>
      resolve({
        send: (text) => socket.send(text),
        onMessage: (r) => (receive = r),
        onClose: (l) => closeListeners.push(l),
      });
  });
}

export function connectTransport(): Promise<ConnectedTransport> {
  return window.fieldbookDesktop ? connectDesktop() : connectWebSocket();
}
