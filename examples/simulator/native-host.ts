/**
 * A native-host simulator: the native end of the consent bridge (docs/bridge.md), written in
 * TypeScript so it runs in a page or in Node. Each permission kind gets a scripted answer for
 * its OS dialog; the simulator keeps an OS permission table and a native "consent store"
 * (what `consent.put` wrote), just as a React Native, Swift or Kotlin host would.
 *
 * Used by the tests (test/e2e/bridge*.test.ts, test/permissions) and by the demo.
 */

/** What the simulated OS dialog answers when a permission is requested. */
export type Script = 'grant' | 'deny' | 'block' | 'limited' | 'timeout' | 'service-off' | 'unavailable';
export type OsStatus = 'granted' | 'limited' | 'denied' | 'blocked' | 'unavailable';

export interface SimulatorOptions {
  /** Scripted answers by permission kind (`camera`) or policy permission id; default `grant`. */
  readonly answers?: Readonly<Record<string, Script>>;
  /** The OS state before anything was asked; default `denied` (never asked, requestable). */
  readonly initial?: Readonly<Record<string, OsStatus>>;
  /** Permission kinds this host knows; others answer E_UNKNOWN_PERMISSION. */
  readonly kinds?: readonly string[];
  /** What native storage already holds (it outlives the webview's storage): policyId → state. */
  readonly store?: Readonly<Record<string, unknown>>;
  /** Milliseconds before each reply (a busy bridge thread). */
  readonly delayMs?: number;
  readonly platform?: string;
  /**
   * Called after every change to what a real host keeps on disk (OS permission table, native
   * consent store), so a test can carry it over a webview that lost its own storage.
   */
  readonly onPersist?: (state: { readonly os: Record<string, OsStatus>; readonly store: Record<string, unknown> }) => void;
}

interface Call {
  readonly method: string;
  readonly params: unknown;
}

const KINDS = ['location', 'camera', 'microphone', 'bluetooth', 'contacts', 'storage', 'photos', 'notifications', 'phone_state', 'idfa_tracking'];
const RESULT: Readonly<Record<Exclude<Script, 'timeout'>, OsStatus>> = {
  grant: 'granted', deny: 'denied', block: 'blocked', limited: 'limited', 'service-off': 'granted', unavailable: 'unavailable',
};

export function createNativeHost(options: SimulatorOptions = {}) {
  const answers: Record<string, Script> = { ...options.answers };
  const os: Record<string, OsStatus> = { ...options.initial };
  const servicesOff = new Set<string>();
  const store: Record<string, unknown> = { ...options.store };
  const calls: Call[] = [];
  const emitters = new Set<(text: string) => void>();
  let settingsOpened = 0;

  const envelope = (body: Record<string, unknown>) => JSON.stringify({ ns: 'consent', v: 1, ...body });
  const answerFor = (kind: string, id: string) => {
    const status = os[kind] ?? 'denied';
    return { status, canAsk: status === 'denied', serviceEnabled: !servicesOff.has(kind), raw: `sim:${status}`, source: 'simulator', id };
  };

  async function respond(method: string, params: Record<string, unknown>): Promise<{ result: unknown } | { error: { code: string; message: string } } | 'silence'> {
    const kind = String(params.permission ?? '');
    const id = String(params.id ?? kind);
    const known = (options.kinds ?? KINDS).includes(kind);
    switch (method) {
      case 'hello':
        return { result: { protocols: [1], platform: options.platform ?? 'simulator', osVersion: '1', appVersion: '1.0.0' } };
      case 'permission.check':
        if (!known) return { error: { code: 'E_UNKNOWN_PERMISSION', message: `no ${kind} on this host` } };
        return { result: answerFor(kind, id) };
      case 'permission.request': {
        if (!known) return { error: { code: 'E_UNKNOWN_PERMISSION', message: `no ${kind} on this host` } };
        const script = answers[id] ?? answers[kind] ?? 'grant';
        if (script === 'timeout') return 'silence';
        // The OS asks only while the state is requestable; otherwise it answers at once.
        if ((os[kind] ?? 'denied') === 'denied') os[kind] = RESULT[script];
        if (script === 'service-off') servicesOff.add(kind);
        return { result: answerFor(kind, id) };
      }
      case 'permission.openSettings':
        settingsOpened++;
        return { result: { opened: true } };
      case 'consent.put':
        store[String(params.policyId)] = structuredClone(params);
        return { result: { stored: true } };
      case 'consent.get':
        return { result: store[String(params.policyId)] ?? null };
      default:
        return { error: { code: 'E_UNSUPPORTED', message: `${method} is not implemented by the simulator` } };
    }
  }

  async function handle(text: string): Promise<string | undefined> {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (message.ns !== 'consent' || message.type !== 'req') return undefined;
    const method = String(message.method);
    const params = (message.params ?? {}) as Record<string, unknown>;
    calls.push({ method, params });
    const outcome = await respond(method, params);
    persist();
    if (outcome === 'silence') return undefined;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    return envelope({ type: 'res', id: message.id, ...outcome });
  }
  const persist = () => options.onPersist?.({ os: { ...os }, store: structuredClone(store) });
  const onEmit = (send: (text: string) => void): (() => void) => {
    emitters.add(send);
    return () => void emitters.delete(send);
  };

  return {
    /** Handles one message from the page; resolves with the reply, or undefined (events, timeouts). */
    handle,
    onEmit,
    /** A transport object (`createConsent({ bridge })`) straight to this host: no globals, runs in Node. */
    transport() {
      let receiver: ((raw: unknown) => void) | undefined;
      return {
        name: 'simulator',
        send: (text: string) => void handle(text).then((reply) => reply && receiver?.(reply)),
        listen(receive: (raw: unknown) => void) {
          receiver = receive;
          const stop = onEmit(receive);
          return () => {
            receiver = undefined;
            stop();
          };
        },
      };
    },
    /** Sends a native event to the page (`app.resume`, `permission.changed`, …). */
    emit(event: string, data: unknown = {}) {
      for (const send of emitters) send(envelope({ type: 'evt', event, data }));
    },
    /** Scripts the OS dialog's next answers. */
    script(kindOrId: string, answer: Script) {
      answers[kindOrId] = answer;
    },
    /** Changes OS state behind the app's back (the person used Settings). */
    setStatus(kind: string, status: OsStatus) {
      os[kind] = status;
      persist();
    },
    status: (kind: string): OsStatus => os[kind] ?? 'denied',
    calls,
    get settingsOpened() {
      return settingsOpened;
    },
    /** Native storage: what a host app reads without any webview. */
    store,
  };
}

export type NativeHost = ReturnType<typeof createNativeHost>;
