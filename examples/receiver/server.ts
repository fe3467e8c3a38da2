// The reference receiver as a command:
//   npx tsx examples/receiver/server.ts --port 8787 --data .receipts
// RECEIVER_FAULT=503:5 makes every POST answer 503 with Retry-After: 5 (status[:retryAfter]),
// to watch the outbox back off; a POST to /receipts?fault=500 fails just that request.
// RECEIVER_FAULTS=500,503:1,hang,reset-after,drip,dup,gap:1,400 plays one fault per POST, in
// order, then answers normally (see faults.ts for what each one models).
import { parseArgs } from 'node:util';
import { parseStep } from './faults.js';
import { startReceiver, type Fault } from './receiver.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' }, data: { type: 'string', default: '.receipts' }, host: { type: 'string', default: '127.0.0.1' } } });
const [status, retryAfter] = (process.env.RECEIVER_FAULT ?? '').split(':');
const fault: Fault | undefined = status ? { status: Number(status), ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}) } : undefined;

const script = (process.env.RECEIVER_FAULTS ?? '').split(',').filter(Boolean).map(parseStep);

const receiver = await startReceiver({ port: Number(values.port), host: values.host, dataDir: values.data, script, ...(fault ? { fault } : {}) });
console.log(`inapp-consent reference receiver on ${receiver.url}`);
console.log(`  POST ${receiver.url}/receipts   GET ${receiver.url}/receipts   GET ${receiver.url}/.well-known/jwks.json`);
console.log(`  receipts stored append-only in ${values.data}/receipts.jsonl${fault ? `; fault mode ${fault.status}` : ''}${script.length ? `; ${script.length} scripted faults` : ''}`);
const stop = () => void receiver.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
