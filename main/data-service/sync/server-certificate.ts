// Trusting a sync server on a team's own network by its check code (shared/check-code.ts):
// its certificate is read once without trusting it, sending nothing, and kept only if its
// code is the one the lead gave; from then on every connection (redeeming the invite, each
// WebSocket) trusts that certificate alone, so TLS proves the server holds its key.
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { checkCodeOf } from '../../../shared/check-code';

/** TLS options that trust one certificate (PEM), whatever name it was made for: a laptop's address is not in it. */
export function trustOnly(certificate: string): Pick<ConnectionOptions, 'ca' | 'checkServerIdentity'> {
  return { ca: certificate, checkServerIdentity: () => undefined };
}

/** The certificate the server at `base` (an https:// address) presents, as PEM, with its check code. */
export function presentedCertificate(base: string, timeoutMs = 15_000): Promise<{ pem: string; checkCode: string }> {
  const { hostname, port } = new URL(base);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    // Only read, never trusted: nothing is sent over this connection.
    const socket = connect({ host, port: Number(port || 443), rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) }, () => {
      const { raw } = socket.getPeerCertificate();
      socket.destroy();
      if (!raw?.length) return reject(new Error('it presented no certificate'));
      resolve({ pem: new X509Certificate(raw).toString(), checkCode: checkCodeOf(raw) });
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('it did not answer')));
    socket.once('error', reject);
  });
}

/** POST `body` as JSON to an https:// address, trusting only `certificate`. */
export function postTrusting(url: string, body: unknown, certificate: string, timeoutMs = 15_000): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: timeoutMs, ...trustOnly(certificate) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let json: unknown = {};
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          // An answer that is not JSON is told by its status.
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('it did not answer')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
