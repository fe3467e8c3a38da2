import { sha256Hex } from './sha256.js';

/**
 * Byte encodings for JWS (RFC 7515): base64url without padding. Hand-written because `btoa`
 * is a DOM/Node global the pure core may not use, and it must behave the same in every webview.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    // 3 bytes give 4 characters; a final 1 or 2 bytes give 2 or 3 (no `=` padding in JWS).
    const chars = Math.min(4, bytes.length - i + 1);
    for (let j = 0; j < chars; j++) out += ALPHABET[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export const base64urlText = (text: string): string => base64url(utf8(text));

/** base64url SHA-256 of text: the chain's `prev` and the RFC 7638 thumbprint use this form. */
export function sha256Base64url(text: string): string {
  const hex = sha256Hex(text);
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return base64url(bytes);
}
