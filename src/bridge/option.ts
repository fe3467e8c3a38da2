import type { BridgeMethod } from './protocol.js';
import type { BridgeTransport } from './transport.js';

export type BridgeOption =
  | 'auto'
  | 'none'
  | BridgeTransport
  | { readonly transport?: 'auto' | 'none' | BridgeTransport; readonly timeouts?: Partial<Record<BridgeMethod, number>> };

const isTransport = (value: unknown): value is BridgeTransport =>
  typeof value === 'object' && value !== null && typeof (value as BridgeTransport).send === 'function';

/**
 * The `bridge` option as the transport asked for and the timeouts. Its own module, free of the
 * bridge's code: the start path reads it too (host/native-hint.ts) before the bridge loads.
 * `{ timeouts }` alone keeps the default transport, 'auto' (it used to mean no bridge at all).
 */
export function readBridgeOption(option: BridgeOption | undefined): { transport: 'auto' | 'none' | BridgeTransport; timeouts?: Partial<Record<BridgeMethod, number>> | undefined } {
  const config = isTransport(option) || typeof option === 'string' || option === undefined ? { transport: option ?? 'auto' } : option;
  return { transport: config.transport ?? 'auto', timeouts: config.timeouts };
}
