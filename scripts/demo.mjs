// The main job on a new machine: install what is missing, build, and check the five seed
// policies. Uses Node built-ins only, so it runs before `npm ci` has.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const run = (command, args) => {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};

if (!existsSync('node_modules/.package-lock.json')) run('npm', ['ci', '--no-audit', '--no-fund']);
run('npm', ['run', 'build']);
const policies = readdirSync('examples/policies').filter((name) => name.endsWith('.json')).map((name) => `examples/policies/${name}`);
run('node', ['bin/inapp-consent.js', 'lint', ...policies]);
run('node', ['scripts/build-full-texts.mjs', '--check']);
// Serves the gallery and the receiver until Ctrl-C.
await import('./serve-demo.mjs');
