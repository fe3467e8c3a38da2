import { createStore, get, update } from 'idb-keyval';
import type { ReceiptSigner } from '../core/receipt-types.js';
import { canUseWebCrypto, generateKeyPair, isKeyPair, webCryptoSigner } from './webcrypto-signer.js';

export const KEY_DATABASE = 'inapp-consent-keys';
const KEY_NAME = 'device-key/v1';

/**
 * The device signer: a non-extractable P-256 pair kept in IndexedDB (its own database, never
 * localStorage) and reused across launches, so every receipt of this install chains under one
 * `kid`. Rejects when that cannot work — no secure context, no IndexedDB, WebKit's
 * `DataCloneError` on storing a CryptoKey (Lockdown Mode, private browsing: tkhq/sdk#1454) —
 * and the caller falls back (choose-signer.ts).
 */
export async function loadDeviceSigner(database = KEY_DATABASE): Promise<ReceiptSigner> {
  if (!canUseWebCrypto()) throw new Error('WebCrypto is unavailable (not a secure context)');
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this context');
  const store = createStore(database, 'keys');
  let pair = await get<unknown>(KEY_NAME, store);
  if (!isKeyPair(pair)) {
    const fresh = await generateKeyPair();
    // Two tabs may create a key at once: update() is one transaction, so the first stored pair
    // wins and both use it.
    await update<unknown>(KEY_NAME, (current) => (isKeyPair(current) ? current : fresh), store);
    pair = await get<unknown>(KEY_NAME, store);
    // Older Safari stored keys silently as nothing (offen/offen#198): a key must read back.
    if (!isKeyPair(pair)) throw new Error('the key pair could not be stored in IndexedDB');
  }
  return webCryptoSigner('device', pair);
}
