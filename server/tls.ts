// TLS for a sync server on a team's own network: a self-signed certificate made at its
// first start and kept beside it (the key readable by its user only), or an organisation's
// certificate. Devices trust the self-signed one by its check code (shared/check-code.ts).
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generate } from 'selfsigned';
import { checkCodeOf } from '../shared/check-code';

export interface ServerTls {
  cert: string;
  key: string;
  /** What devices check the certificate by. */
  checkCode: string;
}

/** Years a made certificate lasts: a laptop's server should not stop working mid-programme. */
const CERTIFICATE_YEARS = 10;

/** The certificate and key at these paths; `make`: made (self-signed) if neither exists yet. */
export async function serverTls(certFile: string, keyFile: string, { make = true } = {}): Promise<ServerTls & { made: boolean }> {
  const made = !existsSync(certFile) && !existsSync(keyFile);
  if (made && !make) throw new Error(`no certificate at ${certFile}: start the server with --tls first, or name its files with --tls-cert and --tls-key`);
  if (made) {
    const notAfterDate = new Date();
    notAfterDate.setFullYear(notAfterDate.getFullYear() + CERTIFICATE_YEARS);
    const pems = await generate([{ name: 'commonName', value: 'Community Fieldbook sync server' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true },
        { name: 'extKeyUsage', serverAuth: true },
      ],
    });
    writeFileSync(keyFile, pems.private, { mode: 0o600, flag: 'wx' });
    writeFileSync(certFile, pems.cert, { flag: 'wx' });
  }
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  return { cert, key, checkCode: checkCodeOf(new X509Certificate(cert).raw), made };
}
