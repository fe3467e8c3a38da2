import { describe, expect, it } from 'vitest';
import { encodeMessage, MAX_MESSAGE_CHARS, parseMessage } from '../../src/bridge/protocol.js';

const req = { ns: 'consent', v: 1, type: 'req', id: 'p-1', method: 'permission.check', params: { permission: 'camera' } } as const;

describe('parseMessage', () => {
  it('reads a request, a result, an error and an event, from strings and from objects', () => {
    expect(parseMessage(encodeMessage(req))).toEqual({ kind: 'message', message: req });
    const result = { ns: 'consent', v: 1, type: 'res', id: 'p-1', result: { status: 'granted' } };
    expect(parseMessage(JSON.stringify(result))).toEqual({ kind: 'message', message: result });
    const error = { ns: 'consent', v: 1, type: 'res', id: 'p-1', error: { code: 'E_BUSY', message: 'dialog showing' } };
    expect(parseMessage(error)).toEqual({ kind: 'message', message: error }); // WKWebView replies may be objects
    const event = { ns: 'consent', v: 1, type: 'evt', event: 'app.resume', data: {} };
    expect(parseMessage(JSON.stringify(event))).toEqual({ kind: 'message', message: event });
  });

  it('ignores foreign messages on a shared channel without reporting them', () => {
    for (const raw of ['hello from the host app', '{"type":"navigate","url":"/home"}', '{"ns":"analytics","v":1}', 42, null, undefined, [1, 2], { ns: 'other' }]) {
      expect(parseMessage(raw)).toEqual({ kind: 'foreign' });
    }
  });

  it('drops malformed envelopes of ours, saying why', () => {
    const cases: [unknown, RegExp][] = [
      ['{"ns":"consent","v":1,"type":"req"', /not valid JSON/],
      [{ ns: 'consent', v: 2, type: 'req', id: 'a', method: 'hello' }, /version 2/],
      [{ ns: 'consent', v: 1, type: 'req', method: 'hello' }, /without an id/],
      [{ ns: 'consent', v: 1, type: 'req', id: 'a' }, /without a method/],
      [{ ns: 'consent', v: 1, type: 'res', id: 'a' }, /exactly one of result and error/],
      [{ ns: 'consent', v: 1, type: 'res', id: 'a', result: 1, error: { code: 'E_INTERNAL', message: '' } }, /exactly one/],
      [{ ns: 'consent', v: 1, type: 'res', id: 'a', error: 'boom' }, /code and a message/],
      [{ ns: 'consent', v: 1, type: 'evt' }, /without a name/],
      [{ ns: 'consent', v: 1, type: 'push', id: 'a' }, /unknown message type/],
      [{ ns: 'consent', v: 1, type: 'req', id: 'x'.repeat(300), method: 'hello' }, /without an id/],
    ];
    for (const [raw, reason] of cases) {
      const parsed = parseMessage(raw);
      expect(parsed.kind, JSON.stringify(raw).slice(0, 80)).toBe('dropped');
      expect(parsed.kind === 'dropped' && parsed.reason).toMatch(reason);
    }
  });

  it('drops oversized messages of ours unread, and ignores oversized foreign ones', () => {
    const big = 'x'.repeat(MAX_MESSAGE_CHARS);
    const ours = encodeMessage({ ns: 'consent', v: 1, type: 'evt', event: 'app.resume', data: { big } });
    expect(parseMessage(ours)).toEqual({ kind: 'dropped', reason: expect.stringMatching(/oversized/) });
    expect(parseMessage({ ns: 'consent', v: 1, type: 'evt', event: 'app.resume', data: { big } })).toEqual({ kind: 'dropped', reason: 'oversized' });
    expect(parseMessage(JSON.stringify({ type: 'host-blob', big }))).toEqual({ kind: 'foreign' });
  });

  it('writes ns first, so a truncated or oversized string is still recognisably ours', () => {
    expect(encodeMessage(req).startsWith('{"ns":"consent"')).toBe(true);
  });
});
