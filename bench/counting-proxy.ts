// A loopback TCP proxy in front of a server, counting every byte both ways: what the
// sync benches report as bytes on the wire, whatever the protocol (WebSocket, HTTP).
import { createServer, connect as tcpConnect, type AddressInfo, type Server } from 'node:net';

export interface CountingProxy {
  url: string;
  bytes(): number;
  reset(): void;
  /** Send new connections to a server restarted on another port. */
  retarget(port: number): void;
  close(): void;
}

export async function countingProxy(port: number): Promise<CountingProxy> {
  let bytes = 0;
  let upstreamPort = port;
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(upstreamPort, '127.0.0.1');
    client.on('data', (d) => (bytes += d.byteLength));
    upstream.on('data', (d) => (bytes += d.byteLength));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: () => bytes,
    reset: () => (bytes = 0),
    retarget: (next) => (upstreamPort = next),
    close: () => server.close(),
  };
}
