// isGranted throughput in Node over the built headless ESM (dist/headless.js), IndexedDB from
// fake-indexeddb. Prints one JSON line. Usage: node bench/node/reads.mjs <policy.json> [rounds]
import 'fake-indexeddb/auto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const [policyPath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 7);
const { createConsent } = await import(new URL('../../dist/headless.js', import.meta.url));
const policy = JSON.parse(await readFile(policyPath, 'utf8'));
const consent = createConsent({ policy });
await consent.ready;
await consent.agree();
// Ask about every purpose and separate consent, granted or not, plus an unknown id.
const ids = [...policy.purposes.map((purpose) => purpose.id), ...(policy.separateConsents ?? []).map((item) => item.id), 'not_a_purpose'];
const mask = 1023;
const sequence = Array.from({ length: mask + 1 }, (_, index) => ids[index % ids.length]);
let sink = 0;
const run = (count) => {
  for (let index = 0; index < count; index += 1) if (consent.isGranted(sequence[index & mask])) sink += 1;
};
// Calibrate to ~250 ms per round after a warm-up (JIT).
run(200_000);
let count = 100_000;
for (;;) {
  const start = performance.now();
  run(count);
  if (performance.now() - start > 100) break;
  count *= 2;
}
count = Math.round(count * 2.5);
const opsPerSecond = [];
for (let round = 0; round < rounds; round += 1) {
  const start = performance.now();
  run(count);
  opsPerSecond.push(count / ((performance.now() - start) / 1000));
}
consent.destroy();
console.log(JSON.stringify({ opsPerSecond, callsPerRound: count, ids: ids.length, granted: ids.filter((id) => consent.isGranted(id)).length, sink: sink > 0 }));
