// verifyReceipt throughput in Node. Reads a JSON array of compact JWS receipts (real ones, made
// by the SDK in Chromium) and verifies them round after round. Prints one JSON line.
// Usage: node bench/node/verify.mjs <receipts.json> [rounds]            (dist/verify.js)
//        tsx  bench/node/verify.mjs <receipts.json> [rounds] --src      (src/verify, not built yet)
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const fromSource = process.argv.includes('--src');
const [file, roundsArg] = args;
const rounds = Number(roundsArg ?? 5);
const verifier = await import(new URL(fromSource ? '../../src/verify/index.ts' : '../../dist/verify.js', import.meta.url));
const { verifyReceipt, verifyChain } = verifier;
const receipts = JSON.parse(await readFile(file, 'utf8'));

// Every receipt must verify, or the throughput means nothing.
const failures = [];
for (const jws of receipts) {
  try {
    await verifyReceipt(jws);
  } catch (error) {
    failures.push(String(error && error.message ? error.message : error));
  }
}
if (failures.length > 0) {
  console.log(JSON.stringify({ error: `${failures.length} of ${receipts.length} receipts failed verification: ${failures[0]}` }));
  process.exit(0);
}
const perSecond = [];
for (let round = 0; round < rounds + 1; round += 1) {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < 300) {
    for (const jws of receipts) await verifyReceipt(jws);
    count += receipts.length;
  }
  if (round > 0) perSecond.push(count / ((performance.now() - start) / 1000)); // round 0 warms up
}
let chain;
if (typeof verifyChain === 'function') {
  const start = performance.now();
  const report = await verifyChain(receipts);
  chain = { ms: performance.now() - start, valid: report.valid, receipts: receipts.length };
}
console.log(JSON.stringify({ perSecond, receipts: receipts.length, source: fromSource ? 'src/verify (tsx)' : 'dist/verify.js', chain }));
