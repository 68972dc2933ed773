// Entry point of the data service inside the desktop app: Electron main forks this file
// (bundled to dist/main/data-service/service-process.cjs) as a utilityProcess. Plain Node,
// no Electron import: main sends it one MessagePort per window, and each port becomes a
// ServiceConnection speaking the JSON texts of shared/rpc.ts.
//
//   --data-dir=<dir> (or FIELDBOOK_DATA_DIR): where profile.json and the workspace live.
import { DataService } from './data-service';
import { isKeychainAnswer, keychainOverPort, type KeychainAnswer, type KeychainRequest } from './keys/keychain';
import { ServiceConnection } from './service-connection';

/** What Electron main sends on the parent port. */
export type ServiceControlMessage = { type: 'connect' } | { type: 'shutdown' } | KeychainAnswer;

/** What the data service sends Electron main on the parent port: questions for the OS keychain. */
export type ServiceRequestMessage = KeychainRequest;

/** The slice of Electron's MessagePortMain used here, typed locally to keep Electron out. */
interface ServicePort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

/** Electron's `process.parentPort`, present only inside a utility process. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: ServicePort[] }) => void): void;
  postMessage(message: ServiceRequestMessage): void;
}

function fail(message: string): never {
  console.error(`Community Fieldbook data service: ${message}`);
  process.exit(1);
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  fail('this file runs only as an Electron utility process (process.parentPort is missing). Start the app with `npm start`, or run the same UI in a browser with `npm run harness`.');
}
const dataDir = process.argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length) || process.env.FIELDBOOK_DATA_DIR;
if (!dataDir) fail('no data directory: pass --data-dir=<dir> or set FIELDBOOK_DATA_DIR.');

// The key is sealed by Electron's safeStorage, which only main can reach.
const keychain = keychainOverPort((request) => parentPort.postMessage(request));
const service = new DataService(dataDir, { keychain });
const connections = new Set<ServiceConnection>();

parentPort.on('message', ({ data, ports }) => {
  const message = data as Partial<ServiceControlMessage> | null;
  const port = ports[0];
  if (isKeychainAnswer(message)) {
    keychain.answer(message);
  } else if (message?.type === 'connect' && port) {
    const connection = new ServiceConnection(service, (text) => port.postMessage(text));
    connections.add(connection);
    port.on('message', (event) => connection.receive(String(event.data)));
    // The window closed or reloaded: stop sending it events.
    port.on('close', () => {
      connection.close();
      connections.delete(connection);
    });
    port.start();
  } else if (message?.type === 'shutdown') {
    for (const connection of connections) connection.close();
    service.close();
    process.exit(0);
  }
});
