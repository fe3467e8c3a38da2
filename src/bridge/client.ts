import { ConsentError } from '../core/errors.js';
import {
  BRIDGE_NS, BRIDGE_VERSION, DEFAULT_TIMEOUTS_MS, encodeMessage, MAX_MESSAGE_CHARS, parseMessage,
  type BridgeEvent, type BridgeMessage, type BridgeMethod, type ResponseMessage, type WireError,
} from './protocol.js';
import type { BridgeTransport } from './transport.js';

export interface BridgeClient {
  /** Sends a request; settles exactly once: with the result, the native error, or `E_TIMEOUT`. */
  request(method: BridgeMethod, params?: unknown): Promise<unknown>;
  /** Sends an event; nothing comes back. */
  notify(event: BridgeEvent, data?: unknown): void;
  /** Listens for one native event; returns the unsubscribe function. */
  on(event: string, listener: (data: unknown) => void): () => void;
  close(): void;
}

export interface BridgeClientOptions {
  readonly timeouts?: Partial<Record<BridgeMethod, number>>;
  /** Environment failures go here (as `error` events), never to the caller's stack. */
  readonly report: (error: ConsentError) => void;
  /** The per-page nonce request ids start with; random by default. */
  readonly idPrefix?: string;
}

/** A native error or a timeout as a ConsentError; the wire code stays in `cause.code`. */
export function bridgeError(code: string, message: string): ConsentError {
  const cause: WireError = { code, message };
  return new ConsentError(code === 'E_TIMEOUT' ? 'bridge-timeout' : 'bridge-failed', `inapp-consent: ${message}`, { cause });
}

/** The wire code (`E_…`) of an error raised by the client, if it is one. */
export const wireCode = (error: unknown): string | undefined =>
  error instanceof ConsentError ? (error.cause as Partial<WireError> | undefined)?.code : undefined;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: ConsentError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * The web end of the protocol over one transport. Request ids are a random per-page nonce plus
 * a counter, so a reply meant for a previous page load (or another instance sharing the
 * channel) never settles a request of ours — as Capacitor does with its callback ids.
 */
export function createBridgeClient(transport: BridgeTransport, options: BridgeClientOptions): BridgeClient {
  const prefix = options.idPrefix ?? Math.random().toString(36).slice(2, 10);
  const pending = new Map<string, Pending>();
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  let counter = 0;
  let closed = false;
  const drop = (reason: string) =>
    options.report(new ConsentError('bridge-message-dropped', `inapp-consent: a bridge message was dropped: ${reason}`));

  const settle = (id: string, outcome: { result: unknown } | { error: ConsentError }) => {
    const entry = pending.get(id);
    if (!entry) return false;
    pending.delete(id);
    clearTimeout(entry.timer);
    if ('error' in outcome) entry.reject(outcome.error);
    else entry.resolve(outcome.result);
    return true;
  };

  const onResponse = (message: ResponseMessage) => {
    if (!message.id.startsWith(`${prefix}-`)) return; // another instance's request
    const outcome = message.error ? { error: bridgeError(message.error.code, message.error.message) } : { result: message.result };
    // Exactly one response per request: a second one, or one after the timeout, is dropped.
    if (!settle(message.id, outcome)) drop(`response to a request that is already settled (${message.id})`);
  };

  const send = (message: BridgeMessage) => transport.send(encodeMessage(message));

  const receive = (raw: unknown) => {
    if (closed) return;
    const parsed = parseMessage(raw);
    if (parsed.kind === 'foreign') return;
    if (parsed.kind === 'dropped') return drop(parsed.reason);
    const message = parsed.message;
    if (message.type === 'res') return onResponse(message);
    if (message.type === 'evt') {
      for (const listener of [...(listeners.get(message.event) ?? [])]) {
        try {
          listener(message.data);
        } catch (cause) {
          options.report(new ConsentError('listener-failed', `inapp-consent: a "${message.event}" listener threw`, { cause }));
        }
      }
      return;
    }
    // v1 defines no requests from native to web; unknown methods get E_UNSUPPORTED.
    const error = { code: 'E_UNSUPPORTED', message: `the web end does not handle ${message.method}` };
    try {
      void send({ ns: BRIDGE_NS, v: BRIDGE_VERSION, type: 'res', id: message.id, error });
    } catch {
      // The channel is gone; nothing to answer on.
    }
  };
  const stop = transport.listen(receive);

  return {
    request(method, params) {
      if (closed) return Promise.reject(new ConsentError('destroyed', 'inapp-consent: the bridge was closed'));
      const id = `${prefix}-${++counter}`;
      const text = encodeMessage({ ns: BRIDGE_NS, v: BRIDGE_VERSION, type: 'req', id, method, ...(params === undefined ? {} : { params }) });
      if (text.length > MAX_MESSAGE_CHARS) return Promise.reject(bridgeError('E_INTERNAL', `${method} is larger than ${MAX_MESSAGE_CHARS} characters`));
      const timeout = options.timeouts?.[method] ?? DEFAULT_TIMEOUTS_MS[method];
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => settle(id, { error: bridgeError('E_TIMEOUT', `the native side did not answer ${method} within ${timeout} ms`) }), timeout);
        pending.set(id, { resolve, reject, timer });
        try {
          const reply = transport.send(text);
          if (isThenable(reply)) {
            reply.then(
              (value) => value !== undefined && value !== null && receive(value),
              (cause: unknown) => settle(id, { error: bridgeError('E_INTERNAL', `${method} failed on the native side: ${String(cause)}`) }),
            );
          }
        } catch (cause) {
          settle(id, { error: bridgeError('E_INTERNAL', `${method} could not be sent: ${String(cause)}`) });
        }
      });
    },
    notify(event, data) {
      if (closed) return;
      try {
        const sent = send({ ns: BRIDGE_NS, v: BRIDGE_VERSION, type: 'evt', event, ...(data === undefined ? {} : { data }) });
        if (isThenable(sent)) sent.then(undefined, (cause: unknown) => options.report(bridgeError('E_INTERNAL', `${event} could not be sent: ${String(cause)}`)));
      } catch (cause) {
        options.report(bridgeError('E_INTERNAL', `${event} could not be sent: ${String(cause)}`));
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      stop();
      for (const id of [...pending.keys()]) settle(id, { error: new ConsentError('destroyed', 'inapp-consent: the bridge was closed') });
      listeners.clear();
    },
  };
}
