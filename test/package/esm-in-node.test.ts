import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/**
 * The built package, imported the way a consumer would (by its name, through `exports`), in a
 * plain Node process with fake-indexeddb standing in for the browser's IndexedDB.
 */
const SCRIPT = `
import 'fake-indexeddb/auto';
import { readFile } from 'node:fs/promises';
import { createConsent } from 'inapp-consent';
import * as headless from 'inapp-consent/headless';
const policy = JSON.parse(await readFile(process.argv[1], 'utf8'));
const out = {};
const first = createConsent({ policy });
await first.ready;
out.firstNeeds = first.needsConsent;
await first.agree();
await first.setPurpose(process.argv[2], true);
out.firstGranted = first.state.value.granted;
first.destroy();
const second = createConsent({ policy });
await second.ready;
out.secondNeeds = second.needsConsent;
out.secondGranted = second.state.value.granted;
const changed = structuredClone(policy);
const purpose = changed.purposes.find((p) => p.id === process.argv[2]);
purpose.label += '（已更新）';
changed.policy.version += '.1';
const third = headless.createConsent({ policy: changed });
await third.ready;
out.thirdNeeds = third.needsConsent;
out.thirdPending = third.state.value.pending;
console.log(JSON.stringify(out));
`;

describe('the built ESM in plain Node', () => {
  it.skipIf(!existsSync(`${root}dist/index.js`))('restores decisions across instances and re-asks only a changed purpose', async () => {
    const policy = `${root}test/fixtures/fixture-policy.json`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT, policy, 'marketing'], { cwd: root });
    const out = JSON.parse(stdout);
    expect(out.firstNeeds).toBe(true);
    expect(out.secondNeeds).toBe(false);
    expect(out.secondGranted).toEqual(out.firstGranted);
    expect(out.secondGranted.marketing).toBe(true);
    expect(out.thirdNeeds).toBe(true);
    expect(out.thirdPending).toEqual({ purposes: ['marketing'], separateConsents: [] });
  });
});
