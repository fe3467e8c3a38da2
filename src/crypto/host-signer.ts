import type { HostSigner, PublicJwk, ReceiptSigner } from '../core/receipt-types.js';

const B64URL = /^[A-Za-z0-9_-]{43}$/;

/**
 * Adapts a host's signer (native Secure Enclave / Keystore through the bridge, §2.6 step 2).
 * The host's answers are checked: a wrong key type or a DER signature would make every receipt
 * unverifiable, which must surface as an error, not as receipts a server rejects later.
 */
export async function hostSigner(host: HostSigner): Promise<ReceiptSigner> {
  const { kty, crv, x, y } = await host.publicKey();
  if (kty !== 'EC' || crv !== 'P-256' || !B64URL.test(x) || !B64URL.test(y)) {
    throw new Error('the host signer\'s public key is not a P-256 JWK {kty:"EC", crv:"P-256", x, y}');
  }
  const jwk: PublicJwk = { kty, crv, x, y };
  return {
    kind: 'host',
    jwk,
    async sign(data) {
      const signature = new Uint8Array(await host.sign(data));
      if (signature.length !== 64) throw new Error(`the host signer returned ${signature.length} bytes; ES256 needs 64 (r‖s, not DER)`);
      return signature;
    },
  };
}
