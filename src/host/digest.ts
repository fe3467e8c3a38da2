import { sha256Hex } from '../core/sha256.js';
import { hex } from './hex.js';

/**
 * SHA-256 of UTF-8 text as lowercase hex. WebCrypto digests off the main thread (the JS one
 * blocked it for ~66 ms over a 55 KB policy before the first dialog); `crypto.subtle` is missing
 * outside secure contexts (file:// and custom-scheme webviews), and some webviews reject the
 * call, so the JS SHA-256 stays as the fallback. Both give the same bytes (tests pin them).
 */
export async function digestHex(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      return hex(new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(text))));
    } catch {
      // An engine that has `subtle` but refuses here: hash it ourselves below.
    }
  }
  return sha256Hex(text);
}
