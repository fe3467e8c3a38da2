import { readFile } from 'node:fs/promises';
import { formatProblems } from '../core/errors.js';
import { validatePolicy } from '../core/policy-validate.js';

/** `inapp-consent lint <file…>`: validates each policy document and prints every problem. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...files] = argv;
  if (command !== 'lint' || files.length === 0) {
    process.stderr.write('usage: inapp-consent lint <policy.json…>\n');
    return 2;
  }
  let failed = false;
  for (const file of files) {
    let document: unknown;
    try {
      document = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      process.stdout.write(`${file}\n  error: cannot read JSON: ${(error as Error).message}\n`);
      failed = true;
      continue;
    }
    const problems = validatePolicy(document);
    if (problems.length > 0) failed = true;
    process.stdout.write(`${file}: ${problems.length === 0 ? 'valid' : `${problems.length} problem(s)`}\n`);
    if (problems.length > 0) process.stdout.write(formatProblems(problems).replace(/^/gm, '  error: ') + '\n');
  }
  return failed ? 1 : 0;
}
