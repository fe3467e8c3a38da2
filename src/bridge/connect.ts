import type { ConsentError } from '../core/errors.js';
import type { PermissionDevice } from '../permissions/types.js';
import { bridgeError, createBridgeClient } from './client.js';
import { detectTransport } from './detect.js';
import { readBridgeOption, type BridgeOption } from './option.js';
import { createNativeDevice } from './native-device.js';
import { BRIDGE_VERSION, type BridgeMethod } from './protocol.js';
import type { BridgeTransport, HostScope } from './transport.js';
import { createWebDevice } from './web-fallback.js';

/** `createConsent({ bridge })`: find the host's transport, use none, or use this one. */
export type { BridgeOption };

/** The native end's answer to `hello`. */
export interface HelloInfo {
  readonly protocols: readonly number[];
  readonly platform?: string;
  readonly osVersion?: string;
  readonly appVersion?: string;
  /** Methods the native end implements; absent means all of v1. */
  readonly capabilities?: readonly string[];
}

export interface BridgeLink {
  /** Resolves with the native end's `hello`, or undefined in web-only mode. Never rejects. */
  readonly hello: Promise<HelloInfo | undefined>;
  /** The native permission port once `hello` succeeded, the web fallback otherwise. */
  readonly device: PermissionDevice;
  /** Calls a method if the native end has it; resolves undefined in web-only mode. */
  call(method: BridgeMethod, params?: unknown): Promise<unknown>;
  /** Listens for a native event (none arrive in web-only mode). */
  on(event: 'app.resume' | 'app.background' | 'network.online' | 'permission.changed', listener: () => void): () => void;
  close(): void;
}


function readHello(result: unknown): HelloInfo {
  const info = (typeof result === 'object' && result !== null ? result : {}) as Partial<HelloInfo>;
  if (!Array.isArray(info.protocols) || !info.protocols.includes(BRIDGE_VERSION)) {
    throw bridgeError('E_UNSUPPORTED', `the native side speaks protocol versions ${JSON.stringify(info.protocols)}, not ${BRIDGE_VERSION}`);
  }
  return info as HelloInfo;
}

/** Connects to the native host (or not) and picks the permission port. */
export function connectBridge(option: BridgeOption | undefined, report: (error: ConsentError) => void, scope: HostScope = globalThis as unknown as HostScope): BridgeLink {
  const config = readBridgeOption(option);
  const transport = config.transport === 'none' ? undefined : config.transport === 'auto' ? detectTransport(scope) : config.transport;
  const client = transport && createBridgeClient(transport, { report, ...(config.timeouts ? { timeouts: config.timeouts } : {}) });

  const web = createWebDevice(scope as Parameters<typeof createWebDevice>[0]);
  let device: PermissionDevice = web;
  const hello: Promise<HelloInfo | undefined> = client
    ? client.request('hello', { protocols: [BRIDGE_VERSION], sdk: 'inapp-consent' }).then(readHello).then(
        (info) => {
          device = createNativeDevice(client);
          return info;
        },
        (error: ConsentError) => {
          // No answer means web-only mode (§3.7): the page keeps working without its host.
          report(error);
          client.close();
          return undefined;
        },
      )
    : Promise.resolve(undefined);

  return {
    hello,
    device: {
      get source() {
        return device.source;
      },
      // Permission calls wait for `hello`, which decides between native and web.
      check: (permission) => hello.then(() => device.check(permission)),
      request: (permission) => hello.then(() => device.request(permission)),
      openSettings: (permission) => hello.then(() => device.openSettings(permission)),
    },
    async call(method, params) {
      const info = await hello;
      if (!info || !client || (info.capabilities && !info.capabilities.includes(method))) return undefined;
      return client.request(method, params);
    },
    on(event, listener) {
      return client?.on(event, () => listener()) ?? (() => undefined);
    },
    close() {
      client?.close();
    },
  };
}
