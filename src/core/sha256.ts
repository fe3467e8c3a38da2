/**
 * SHA-256 of UTF-8 text, as lowercase hex (FIPS 180-4). Hand-written on purpose: WebCrypto's
 * `crypto.subtle` is missing outside secure contexts (file:// and custom-scheme webviews, see
 * reference/mobile-cmp-receipts-bridges.md §2.6), and policy hashes must be computed the same
 * way everywhere, synchronously, before the first dialog. Checked against node:crypto in tests.
 */
// size: the round constants are the first 32 bits of the fractional parts of the cube roots
// of the first 64 primes, computed instead of shipped as a 64-entry literal — and computed on
// first use, not at load: with WebCrypto present this function may never run, and the script
// tag's start path should not pay for it (~1 ms at 1× CPU in a Chromium profile).
let K: Uint32Array | undefined;
function roundConstants(): Uint32Array {
  if (K) return K;
  K = new Uint32Array(64);
  for (let n = 2, found = 0; found < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (prime) K[found++] = (Math.cbrt(n) % 1) * 2 ** 32;
  }
  return K;
}

export function sha256Hex(text: string): string {
  const k = roundConstants();
  const bytes = new TextEncoder().encode(text);
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);

  const hash = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotate = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!, b = w[i - 2]!;
      w[i] = (w[i - 16]! + (rotate(a, 7) ^ rotate(a, 18) ^ (a >>> 3)) + w[i - 7]! + (rotate(b, 17) ^ rotate(b, 19) ^ (b >>> 10))) | 0;
    }
    let [a, b, c, d, e, f, g, h] = hash as unknown as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!) | 0;
      const t2 = ((rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, h].forEach((value, i) => (hash[i] = (hash[i]! + value) | 0));
  }
  return Array.from(hash, (word) => word.toString(16).padStart(8, '0')).join('');
}
