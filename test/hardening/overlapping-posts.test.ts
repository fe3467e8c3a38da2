import { describe, expect, it } from 'vitest';
import { overlapping } from './e2e-support.js';

// The check behind "one flusher at a time" in test/e2e/hardening-tabs.test.ts, on made-up posts
// (ms): it must still catch a second send while another is open.
describe('overlapping POSTs at the receiver', () => {
  it('counts two sends open at once', () => {
    expect(overlapping([{ at: 0, closedAt: 50 }, { at: 20, closedAt: 60 }], new Map())).toEqual([[0, 1]]);
  });

  it('counts a send that arrives during a hang, before its timeout was brought forward', () => {
    expect(overlapping([{ fault: 'hang', at: 0, closedAt: 500 }, { at: 100, closedAt: 120 }], new Map([[0, 300]]))).toEqual([[0, 1]]);
  });

  it('does not count the next send after the device gave up on a hang the server still has open', () => {
    expect(overlapping([{ fault: 'hang', at: 0, closedAt: 312 }, { at: 310, closedAt: 330 }], new Map([[0, 300]]))).toEqual([]);
  });

  it('does not count sends one after another', () => {
    expect(overlapping([{ at: 0, closedAt: 10 }, { at: 10, closedAt: 20 }, { at: 25 }], new Map())).toEqual([]);
  });
});
