import { describe, expect, it } from 'vitest';
import { harness, HOUR } from './harness.js';

describe('requestPermission flow', () => {
  it('PP-01: rejects with no UI and no native call when the feature does not use the permission', async () => {
    const h = harness();
    await expect(h.requester.request('location', { feature: 'register' })).rejects.toMatchObject({ code: 'permission-not-declared' });
    await expect(h.requester.request('location', {} as never)).rejects.toMatchObject({ code: 'permission-not-declared' });
    expect(h.prompts).toEqual([]);
    expect(h.host.calls).toEqual([]);
  });

  it('PP-03: one permission per call, one request on screen at a time; a double tap joins the open one', async () => {
    const h = harness();
    await expect(h.requester.request(['location', 'camera'] as never, { feature: 'nearby' })).rejects.toMatchObject({ code: 'invalid-action' });
    const first = h.requester.request('location', { feature: 'nearby' });
    const again = h.requester.request('location', { feature: 'nearby' });
    await expect(h.requester.request('camera', { feature: 'verify_face' })).rejects.toMatchObject({ code: 'permission-busy' });
    expect(await again).toBe(await first);
    expect(h.prompts).toHaveLength(1);
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'granted' });
  });

  it('PP-02: continue in the rationale prompt, then the OS grants: resolves granted and records the choice', async () => {
    const h = harness({ answers: { location: 'grant' } });
    const result = await h.requester.request('location', { feature: 'nearby' });
    expect(result).toEqual({ permission: 'location', feature: 'nearby', status: 'granted', canAsk: false, reason: 'os', serviceEnabled: true, raw: 'sim:granted', source: 'native' });
    expect(h.prompts).toEqual([{ id: 'location', feature: 'nearby', userInitiated: false, action: 'request', status: 'denied' }]);
    expect(h.host.calls.map((call) => call.method)).toEqual(['permission.check', 'permission.request']);
    expect(h.recorded).toEqual([{ id: 'location', status: 'granted', choice: 'continue', surface: 'permission_prompt' }]);
  });

  it('asks nothing when the OS already holds the permission, and records that once', async () => {
    const h = harness({ initial: { camera: 'granted' } });
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'granted', reason: 'current' });
    await h.requester.request('camera', { feature: 'verify_face' });
    expect(h.prompts).toEqual([]);
    expect(h.recorded).toEqual([{ id: 'camera', status: 'granted', surface: 'host' }]);
  });

  it('PP-05: not now → denied, no prompt for 48 h (clock advanced), a user-initiated request still prompts, and after 48 h it asks again', async () => {
    const h = harness();
    h.answers.push('not_now');
    const refused = await h.requester.request('location', { feature: 'nearby' });
    expect(refused).toMatchObject({ status: 'denied', reason: 'not_now', affects: ['nearby'] });
    expect(h.recorded).toEqual([{ id: 'location', status: 'denied', choice: 'not_now', surface: 'permission_prompt' }]);
    expect(h.host.calls.map((call) => call.method)).toEqual(['permission.check']); // no OS dialog

    h.advance(47 * HOUR);
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'denied', reason: 'cooldown' });
    expect(h.prompts).toHaveLength(1);

    h.answers.push('not_now');
    await expect(h.requester.request('location', { feature: 'nearby', userInitiated: true })).resolves.toMatchObject({ reason: 'not_now' });
    expect(h.prompts).toHaveLength(2);

    h.advance(48 * HOUR); // the user-initiated refusal restarted the cooldown
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'granted', reason: 'os' });
    expect(h.prompts).toHaveLength(3);
  });

  it('PP-05: a refusal in the OS dialog starts the cooldown too, and persists across a restart', async () => {
    const h = harness({ answers: { camera: 'deny' } });
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'denied', reason: 'os', canAsk: true });
    h.restart();
    h.advance(10 * HOUR);
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ reason: 'cooldown' });
    expect(h.prompts).toHaveLength(1);
  });

  it('PP-05: a policy without the user-initiated bypass keeps its cooldown even for a tap', async () => {
    const h = harness();
    h.answers.push('not_now');
    await h.requester.request('bluetooth', { feature: 'nearby' });
    await expect(h.requester.request('bluetooth', { feature: 'nearby', userInitiated: true })).resolves.toMatchObject({ reason: 'cooldown' });
    h.advance(24 * HOUR); // this permission's cooldownHours
    await expect(h.requester.request('bluetooth', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'os' });
  });

  it('PP-05: moving the clock forward inside the session does not end the cooldown; the monotonic clock decides', async () => {
    const h = harness();
    h.answers.push('not_now');
    await h.requester.request('location', { feature: 'nearby' });
    h.clock.now += 100 * HOUR; // the wall clock only
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
  });

  it('PP-05: setting the clock back across a restart neither bypasses the cooldown nor sticks it until the stamp', async () => {
    const h = harness();
    h.answers.push('not_now');
    await h.requester.request('location', { feature: 'nearby' });
    h.restart();
    h.clock.now -= 30 * 24 * HOUR; // the person sets the clock a month back and relaunches
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    expect(h.anchorStorage.value).toEqual({ location: { refusedAt: expect.any(Number), wall: h.clock.now } });
    h.restart();
    h.advance(47 * HOUR);
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    h.restart();
    h.advance(HOUR); // 48 h after the refusal was first seen from the past, although the stamp is a month ahead
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'os', status: 'granted' });
  });

  it('PP-06: blocked → never opens Settings by itself; 去设置 only after a user-initiated prompt', async () => {
    const h = harness({ answers: { camera: 'block' } });
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'blocked', canAsk: false, reason: 'os' });
    h.advance(49 * HOUR);
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'blocked', reason: 'blocked' });
    expect(h.host.settingsOpened).toBe(0);
    expect(h.prompts).toHaveLength(1);
    await expect(h.requester.request('camera', { feature: 'verify_face', userInitiated: true })).resolves.toMatchObject({ reason: 'settings' });
    expect(h.prompts.at(-1)).toMatchObject({ action: 'open_settings', status: 'blocked', userInitiated: true });
    expect(h.host.settingsOpened).toBe(1);
  });

  it('a native side that never answers resolves with a timeout error, records nothing and starts no cooldown', async () => {
    const h = harness({ answers: { location: 'timeout' }, requestTimeoutMs: 50 });
    const result = await h.requester.request('location', { feature: 'nearby' });
    expect(result).toMatchObject({ status: 'unavailable', reason: 'error', error: { code: 'bridge-timeout' } });
    expect(h.errors.map((error) => error.code)).toEqual(['bridge-timeout']);
    expect(h.recorded).toEqual([]);
    h.host.script('location', 'grant');
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'granted' });
  });

  it('treats a permission the host does not know as unavailable, without a prompt', async () => {
    const h = harness({ kinds: [] });
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'unavailable', reason: 'current', raw: 'E_UNKNOWN_PERMISSION' });
    expect(h.prompts).toEqual([]);
  });

  it('a failing prompt resolves with an error and records nothing', async () => {
    const h = harness();
    h.answers.push(new Error('widget crashed'));
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'error', error: { code: 'listener-failed' } });
    expect(h.recorded).toEqual([]);
  });

  it('service-off: granted, with serviceEnabled false for the host to explain', async () => {
    const h = harness({ answers: { location: 'service-off' } });
    await expect(h.requester.request('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'granted', serviceEnabled: false });
  });

  it('limited counts as held: no prompt next time', async () => {
    const h = harness({ answers: { camera: 'limited' } });
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'limited', reason: 'os' });
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'limited', reason: 'current' });
    expect(h.prompts).toHaveLength(1);
  });
});

describe('recheck (PP-07)', () => {
  it('records an OS-side revoke as a new decision from the host surface', async () => {
    const h = harness();
    await h.requester.request('location', { feature: 'nearby' });
    h.host.setStatus('location', 'blocked');
    await h.requester.recheck();
    expect(h.recorded.at(-1)).toEqual({ id: 'location', status: 'blocked', surface: 'host' });
    expect(h.state.decisions.permissions.location?.status).toBe('blocked');
    await h.requester.recheck(); // nothing changed since
    expect(h.recorded).toHaveLength(2);
  });

  it('a one-time grant lapsing to denied is recorded but starts no cooldown', async () => {
    const h = harness();
    await h.requester.request('camera', { feature: 'verify_face' });
    h.host.setStatus('camera', 'denied'); // Android "Only this time", app backgrounded
    await h.requester.recheck();
    expect(h.recorded.at(-1)).toEqual({ id: 'camera', status: 'denied', surface: 'host' });
    await expect(h.requester.request('camera', { feature: 'verify_face' })).resolves.toMatchObject({ reason: 'os', status: 'granted' });
    expect(h.prompts).toHaveLength(2);
  });

  it('skips the permission whose request is open (Android pauses the app for its own dialog)', async () => {
    const h = harness();
    h.answers.push('not_now');
    await h.requester.request('location', { feature: 'nearby' });
    let release: (answer: 'continue') => void = () => undefined;
    h.answers.push(new Promise((resolve) => (release = resolve)));
    const open = h.requester.request('location', { feature: 'nearby', userInitiated: true });
    while (h.prompts.length < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    h.host.setStatus('location', 'granted'); // the OS changed while our request is on screen
    await h.requester.recheck();
    release('continue');
    await expect(open).resolves.toMatchObject({ status: 'granted', reason: 'os' });
    expect(h.recorded.map((entry) => entry.surface)).toEqual(['permission_prompt', 'permission_prompt']);
  });
});
