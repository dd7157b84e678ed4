// A self-signed certificate for localhost, made at start-up (development only: browsers warn).
import { generate } from 'selfsigned';

/** PEM key and certificate for `localhost` and 127.0.0.1, valid for a day. */
export interface DevCertificate {
  key: string;
  cert: string;
}

/**
 * Generates a fresh self-signed certificate. Production servers use a real one (Let's Encrypt,
 * your CA) or terminate TLS in a proxy; this exists so the example needs no files or openssl.
 *
 * @example
 * const { key, cert } = await devCertificate();
 * createServer({ key, cert }, app);
 */
export async function devCertificate(): Promise<DevCertificate> {
  const notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
