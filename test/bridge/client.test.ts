import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeError, createBridgeClient, wireCode } from '../../src/bridge/client.js';
import { MAX_MESSAGE_CHARS } from '../../src/bridge/protocol.js';
import type { ConsentError } from '../../src/core/errors.js';
import { fakeTransport, response } from './fake-transport.js';

const setup = (reply?: Parameters<typeof fakeTransport>[0], timeouts = {}) => {
  const transport = fakeTransport(reply);
  const errors: ConsentError[] = [];
  const client = createBridgeClient(transport, { report: (error) => errors.push(error), idPrefix: 'page', timeouts });
  return { transport, errors, client };
};

describe('createBridgeClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a versioned request envelope with a nonce-prefixed id and resolves with the result', async () => {
    const { transport, client } = setup((message) => response(message.id, { result: { status: 'granted' } }));
    await expect(client.request('permission.check', { permission: 'camera' })).resolves.toEqual({ status: 'granted' });
    expect(transport.sent).toEqual([{ ns: 'consent', v: 1, type: 'req', id: 'page-1', method: 'permission.check', params: { permission: 'camera' } }]);
  });

  it('rejects with the native error code kept in cause', async () => {
    const { client } = setup((message) => response(message.id, { error: { code: 'E_NOT_DECLARED', message: 'no NSCameraUsageDescription' } }));
    const error = await client.request('permission.request', { permission: 'camera' }).catch((caught: ConsentError) => caught);
    expect(error).toMatchObject({ code: 'bridge-failed' });
    expect(wireCode(error)).toBe('E_NOT_DECLARED');
  });

  it('settles exactly once: a second response and a late one are dropped and reported', async () => {
    const { transport, errors, client } = setup(undefined, { 'permission.check': 1000 });
    const first = client.request('permission.check');
    transport.deliver(response('page-1', { result: 'a' }));
    transport.deliver(response('page-1', { result: 'b' }));
    await expect(first).resolves.toBe('a');
    const second = client.request('permission.check');
    vi.advanceTimersByTime(1000);
    await expect(second).rejects.toMatchObject({ code: 'bridge-timeout' });
    transport.deliver(response('page-2', { result: 'late' }));
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['bridge-message-dropped', expect.stringContaining('already settled (page-1)')],
      ['bridge-message-dropped', expect.stringContaining('already settled (page-2)')],
    ]);
  });

  it('times out each method after its own limit (hello 2 s, request 120 s) instead of hanging', async () => {
    const { client } = setup();
    const hello = client.request('hello');
    const request = client.request('permission.request');
    const helloError = hello.catch((error: ConsentError) => error);
    const requestError = request.catch((error: ConsentError) => error);
    vi.advanceTimersByTime(2000);
    expect(await helloError).toMatchObject({ code: 'bridge-timeout', message: expect.stringContaining('hello within 2000 ms') });
    vi.advanceTimersByTime(117_999);
    let settled = false;
    void request.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(1);
    expect(wireCode(await requestError)).toBe('E_TIMEOUT');
  });

  it('ignores foreign messages quietly and reports malformed and oversized ones', () => {
    const { transport, errors } = setup();
    transport.deliver('{"type":"host-navigation"}');
    transport.deliver('plain text from the host app');
    transport.deliver({ ns: 'consent', v: 1, type: 'res' });
    transport.deliver(`{"ns":"consent","v":1,"type":"evt","event":"x","data":"${'y'.repeat(MAX_MESSAGE_CHARS)}"}`);
    expect(errors.map((error) => error.code)).toEqual(['bridge-message-dropped', 'bridge-message-dropped']);
    expect(errors[1]?.message).toMatch(/oversized/);
  });

  it('ignores responses to another instance sharing the channel', () => {
    const { transport, errors } = setup();
    transport.deliver(response('other-1', { result: 1 }));
    expect(errors).toEqual([]);
  });

  it('delivers native events to their listeners, and a throwing listener is reported', () => {
    const { transport, errors, client } = setup();
    const seen: unknown[] = [];
    client.on('app.resume', (data) => seen.push(data));
    client.on('app.resume', () => {
      throw new Error('listener bug');
    });
    const off = client.on('app.background', () => seen.push('bg'));
    off();
    transport.deliver(JSON.stringify({ ns: 'consent', v: 1, type: 'evt', event: 'app.resume', data: { at: 1 } }));
    transport.deliver(JSON.stringify({ ns: 'consent', v: 1, type: 'evt', event: 'app.background' }));
    expect(seen).toEqual([{ at: 1 }]);
    expect(errors.map((error) => error.code)).toEqual(['listener-failed']);
  });

  it('answers a request from the native side with E_UNSUPPORTED (v1 defines none)', () => {
    const { transport } = setup();
    transport.deliver(JSON.stringify({ ns: 'consent', v: 1, type: 'req', id: 'n-1', method: 'consent.wipe' }));
    expect(transport.sent).toEqual([
      { ns: 'consent', v: 1, type: 'res', id: 'n-1', error: { code: 'E_UNSUPPORTED', message: 'the web end does not handle consent.wipe' } },
    ]);
  });

  it('sends events with no id and expects nothing back', () => {
    const { transport, client } = setup();
    client.notify('consent.changed', { policyId: 'p' });
    expect(transport.sent).toEqual([{ ns: 'consent', v: 1, type: 'evt', event: 'consent.changed', data: { policyId: 'p' } }]);
  });

  it('reads a reply returned by send (WKWebView reply handlers) and fails the request when that promise rejects', async () => {
    let mode: 'reply' | 'reject' = 'reply';
    const transport = {
      name: 'with-reply',
      send: (text: string) => {
        const { id } = JSON.parse(text) as { id: string };
        return mode === 'reply' ? Promise.resolve(response(id, { result: 'via reply' })) : Promise.reject(new Error('handler threw'));
      },
      listen: () => () => undefined,
    };
    const client = createBridgeClient(transport, { report: () => undefined });
    await expect(client.request('hello')).resolves.toBe('via reply');
    mode = 'reject';
    await expect(client.request('hello')).rejects.toMatchObject({ code: 'bridge-failed', message: expect.stringContaining('handler threw') });
  });

  it('fails a request at once when send throws or the params are too large', async () => {
    const throwing = createBridgeClient({ name: 't', send: () => { throw new Error('gone'); }, listen: () => () => undefined }, { report: () => undefined });
    await expect(throwing.request('hello')).rejects.toMatchObject({ code: 'bridge-failed', message: expect.stringContaining('could not be sent') });
    const { client, transport } = setup();
    await expect(client.request('consent.put', { blob: 'x'.repeat(MAX_MESSAGE_CHARS) })).rejects.toMatchObject({ code: 'bridge-failed' });
    expect(transport.sent).toEqual([]);
  });

  it('close() stops listening and rejects what is pending', async () => {
    const { transport, client } = setup();
    const pending = client.request('consent.get');
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'destroyed' });
    expect(transport.listening()).toBe(false);
    await expect(client.request('hello')).rejects.toMatchObject({ code: 'destroyed' });
  });

  it('bridgeError maps E_TIMEOUT to bridge-timeout and everything else to bridge-failed', () => {
    expect(bridgeError('E_TIMEOUT', 'x').code).toBe('bridge-timeout');
    expect(bridgeError('E_BUSY', 'x').code).toBe('bridge-failed');
  });
});
