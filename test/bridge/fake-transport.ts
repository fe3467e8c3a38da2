import type { BridgeTransport } from '../../src/bridge/transport.js';

/** A transport whose native end is the test: it sees every sent message and delivers replies. */
export function fakeTransport(reply?: (message: Record<string, unknown>) => unknown) {
  const sent: Record<string, unknown>[] = [];
  let receive: ((raw: unknown) => void) | undefined;
  const transport: BridgeTransport & { sent: typeof sent; deliver(raw: unknown): void; listening(): boolean } = {
    name: 'fake',
    sent,
    send(text) {
      const message = JSON.parse(text) as Record<string, unknown>;
      sent.push(message);
      const answer = reply?.(message);
      if (answer !== undefined) queueMicrotask(() => receive?.(answer));
    },
    listen(next) {
      receive = next;
      return () => {
        receive = undefined;
      };
    },
    deliver: (raw) => receive?.(raw),
    listening: () => receive !== undefined,
  };
  return transport;
}

export const response = (id: unknown, body: { result: unknown } | { error: { code: string; message: string } }) =>
  JSON.stringify({ ns: 'consent', v: 1, type: 'res', id, ...body });
