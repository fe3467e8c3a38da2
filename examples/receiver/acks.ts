import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { thumbprint, type PublicJwk } from '../../src/verify/index.js';

export const ACK_TYP = 'consent-ack+jwt';

export interface ServerKey {
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  readonly privateKey: KeyObject;
}

/**
 * The receiver's own signing key, created once and kept in the data directory (mode 0600) so
 * acks stay verifiable across restarts. A production server would keep it in a KMS/HSM.
 */
export async function loadServerKey(dataDir: string): Promise<ServerKey> {
  const file = join(dataDir, 'server-key.json');
  let jwk = await readFile(file, 'utf8').then((text) => JSON.parse(text) as Record<string, string>).catch(() => undefined);
  if (!jwk) {
    jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const { x, y } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string; y: string };
  const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x, y };
  return { kid: thumbprint(publicJwk), publicJwk, privateKey };
}

/** The JWKS a device or auditor checks acks against. */
export const jwks = (key: ServerKey) => ({ keys: [{ ...key.publicJwk, kid: key.kid, alg: 'ES256', use: 'sig' }] });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Countersigns an accepted receipt (§2.7): the server's statement that it received this exact
 * receipt (its hash), at this position of this key's chain, at this time. That turns the
 * device's statement into the controller-issued receipt Kantara intended.
 */
export function countersign(key: ServerKey, claims: { iss: string; jti: string; kid: string; seq: number; sha256: string; receivedAt: number }): string {
  const input = `${b64({ alg: 'ES256', typ: ACK_TYP, kid: key.kid })}.${b64({ ...claims, iat: claims.receivedAt })}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
