import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBridgeClient } from '../../src/bridge/client.js';
import { MAX_MESSAGE_CHARS, parseMessage } from '../../src/bridge/protocol.js';
import type { HostScope } from '../../src/bridge/transport.js';
import { reactNativeTransport } from '../../src/bridge/transports/react-native.js';
import type { ConsentError } from '../../src/core/errors.js';
import { HOSTILE_TEXT, jsonWithPrototypeKeys, PROTOTYPE_KEYS, runs } from '../helpers/arbitraries.js';
import { fakeTransport, response } from './fake-transport.js';

/**
 * Issue 8 item 10: what arrives on the bridge channel is untrusted — the channel is shared with
 * the host app's own messages (react-native-webview's onMessage), and any frame can post to the
 * window. Malformed, oversized, foreign-namespace, unknown-id and other-frame messages must be
 * ignored (foreign) or dropped with a report (ours but broken), never throw, never settle a
 * request they do not answer and never reach an event listener. Run counts: `runs()`, raised
 * with INAPP_CONSENT_FUZZ_RUNS.
 */

const setup = () => {
  const transport = fakeTransport();
  const errors: ConsentError[] = [];
  const events: unknown[] = [];
  const client = createBridgeClient(transport, { report: (error) => errors.push(error), idPrefix: 'page', timeouts: { 'permission.check': 60_000 } });
  client.on('app.resume', (data) => events.push(data));
  const settled: unknown[] = [];
  const pending = client.request('permission.check', { permission: 'camera' }).then((value) => settled.push(value), (error: unknown) => settled.push(error));
  return { transport, errors, events, client, settled, pending };
};
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('bridge hostility: malformed', () => {
  it('never throws on any string or JSON value, and never settles the open request or fires an event', async () => {
    const { transport, events, settled, client } = setup();
    let cases = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...HOSTILE_TEXT), jsonWithPrototypeKeys, jsonWithPrototypeKeys.map((value) => JSON.stringify(value))), (raw) => {
        cases++;
        expect(() => parseMessage(raw)).not.toThrow();
        expect(() => transport.deliver(raw)).not.toThrow();
      }),
      { numRuns: runs(500) },
    );
    // Envelopes of ours with every field broken in turn.
    const broken = [
      '{"ns":"consent"', '{"ns":"consent","v":1,"type":"res","id":"page-1"}', '{"ns":"consent","v":2,"type":"res","id":"page-1","result":1}',
      '{"ns":"consent","v":"1","type":"res","id":"page-1","result":1}', '{"ns":"consent","v":1,"type":"res","id":"page-1","result":1,"error":{"code":"E","message":"m"}}',
      '{"ns":"consent","v":1,"type":"res","id":"page-1","error":{"code":1,"message":"m"}}', `{"ns":"consent","v":1,"type":"res","id":"page-1","error":{"code":"${'E'.repeat(65)}","message":"m"}}`,
      '{"ns":"consent","v":1,"type":"res","id":["page-1"],"result":1}', '{"ns":"consent","v":1,"type":"evt"}', '{"ns":"consent","v":1,"type":"evt","event":{"name":"app.resume"}}',
      '{"ns":"consent","v":1,"type":"nope","id":"page-1"}', '{"ns":"consent","v":1}', 'null', '[]', '"consent"',
    ];
    for (const raw of broken) transport.deliver(raw);
    await tick();
    expect(settled).toEqual([]);
    expect(events).toEqual([]);
    expect(cases).toBe(runs(500));
    client.close();
  });

  it('prototype names as event names, ids and payload keys pollute nothing and reach no listener', async () => {
    const { transport, events, settled, errors, client } = setup();
    for (const name of PROTOTYPE_KEYS) {
      transport.deliver(JSON.stringify({ ns: 'consent', v: 1, type: 'evt', event: name, data: {} }));
      transport.deliver(JSON.stringify({ ns: 'consent', v: 1, type: 'res', id: name, result: {} }));
    }
    transport.deliver('{"ns":"consent","v":1,"type":"evt","event":"app.resume","data":{"__proto__":{"polluted":true}}}');
    await tick();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(events).toHaveLength(1); // only the real app.resume, its data kept as plain data
    expect(settled).toEqual([]);
    expect(errors).toEqual([]);
    client.close();
  });
});

describe('bridge hostility: oversized', () => {
  it('drops ours above 64 KiB unread (string or object), keeps ours at the limit, ignores foreign ones', () => {
    const { transport, errors, events, client } = setup();
    const event = (pad: number) => `{"ns":"consent","v":1,"type":"evt","event":"app.resume","data":"${'x'.repeat(pad)}"}`;
    const overhead = event(0).length;
    transport.deliver(event(MAX_MESSAGE_CHARS - overhead));
    transport.deliver(event(MAX_MESSAGE_CHARS - overhead + 1));
    transport.deliver({ ns: 'consent', v: 1, type: 'evt', event: 'app.resume', data: 'x'.repeat(MAX_MESSAGE_CHARS) });
    transport.deliver(`{"type":"host","data":"${'x'.repeat(10 * MAX_MESSAGE_CHARS)}"}`);
    transport.deliver('x'.repeat(10 * MAX_MESSAGE_CHARS));
    expect(events).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/oversized/), expect.stringMatching(/oversized/)]);
    client.close();
  });

  it('a deeply nested message under the cap neither throws nor blocks', () => {
    const { transport, events, client } = setup();
    // Built as text: JSON.stringify itself recurses and would overflow first.
    const nested = `{"ns":"consent","v":1,"type":"evt","event":"app.resume","data":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
    expect(nested.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(() => transport.deliver(nested)).not.toThrow();
    expect(events).toHaveLength(1);
    client.close();
  });
});

describe('bridge hostility: foreign namespace', () => {
  it('is ignored without a report, whatever it looks like (the host app shares the channel)', async () => {
    const { transport, errors, events, settled, client } = setup();
    for (const ns of ['Consent', 'consent ', 'other', '', null, 1]) {
      transport.deliver(JSON.stringify({ ns, v: 1, type: 'res', id: 'page-1', result: 'forged' }));
      transport.deliver(JSON.stringify({ ns, v: 1, type: 'evt', event: 'app.resume' }));
    }
    transport.deliver(JSON.stringify({ type: 'res', id: 'page-1', result: 'no ns' }));
    await tick();
    expect(errors).toEqual([]);
    expect(events).toEqual([]);
    expect(settled).toEqual([]);
    client.close();
  });
});

describe('bridge hostility: unknown id', () => {
  it('an answer to a request never made is reported and settles nothing; the real answer still does', async () => {
    const { transport, errors, settled, pending } = setup();
    for (const id of ['page-0', 'page-2', 'page-1 ', 'page-01', 'PAGE-1', 'page-']) transport.deliver(response(id, { result: 'forged' }));
    await tick();
    expect(settled).toEqual([]);
    // Five carry this page's nonce and are reported; "PAGE-1" is another instance's and ignored.
    expect(errors.map((error) => error.code)).toEqual(Array(5).fill('bridge-message-dropped'));
    transport.deliver(response('page-1', { result: { status: 'granted' } }));
    await pending;
    expect(settled).toEqual([{ status: 'granted' }]);
  });
});

describe('bridge hostility: another frame', () => {
  const fakeWindow = (): HostScope & EventTarget & { document: EventTarget } => {
    const window = new EventTarget() as EventTarget & Record<string, unknown>;
    window.document = new EventTarget();
    return window as never;
  };

  it('an iframe posting the exact answer to an open request, or app.resume, is ignored; the host\'s own is taken', async () => {
    const window = fakeWindow();
    const posted: string[] = [];
    window.ReactNativeWebView = { postMessage: (text: string) => posted.push(text) };
    const errors: ConsentError[] = [];
    const client = createBridgeClient(reactNativeTransport(window)!, { report: (error) => errors.push(error), idPrefix: 'page' });
    const resumed: unknown[] = [];
    client.on('app.resume', (data) => resumed.push(data));
    const request = client.request('permission.check', { permission: 'camera' });
    const id = (JSON.parse(posted[0]!) as { id: string }).id;
    // An ad or third-party iframe: its window is the event's source (here, a port standing in).
    const frame = new MessageChannel().port1;
    window.dispatchEvent(new MessageEvent('message', { data: response(id, { result: { status: 'granted' } }), source: frame }));
    window.dispatchEvent(new MessageEvent('message', { data: '{"ns":"consent","v":1,"type":"evt","event":"app.resume","data":"iframe"}', source: frame }));
    window.document.dispatchEvent(new MessageEvent('message', { data: '{"ns":"consent","v":1,"type":"evt","event":"app.resume","data":"iframe"}', source: frame }));
    let settled = false;
    void request.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    expect(resumed).toEqual([]);
    expect(errors).toEqual([]);
    // The host (react-native-webview dispatching with no source) is heard.
    window.document.dispatchEvent(new MessageEvent('message', { data: '{"ns":"consent","v":1,"type":"evt","event":"app.resume","data":"host"}' }));
    window.document.dispatchEvent(new MessageEvent('message', { data: response(id, { result: { status: 'denied' } }) }));
    await expect(request).resolves.toEqual({ status: 'denied' });
    expect(resumed).toEqual(['host']);
    client.close();
  });
});
