import { readFile } from 'node:fs/promises';
import { lintPolicy } from '../core/policy-lint.js';
import type { PolicyDocument } from '../core/policy-types.js';
import { validatePolicy } from '../core/policy-validate.js';
import { formatResult, hasErrors, type FileResult } from './format.js';

const USAGE = `usage: inapp-consent lint [--json] <policy.json…>
  Validates each policy document, then runs the China-rule checks (docs/lint-rules.md).
  --json  print [{ file, problems, findings }] instead of text
Exit status: 1 if any file has an error or cannot be read, 2 on bad usage, 0 otherwise.
`;

/**
 * `inapp-consent lint [--json] <file…>`: validates each policy document, lints the valid ones,
 * and prints every problem and finding. Exits 1 when any file has an error or cannot be read,
 * 2 on bad usage, 0 otherwise (warnings never fail the run).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h' || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const files = args.filter((arg) => arg !== '--json');
  if (command !== 'lint' || files.length === 0 || files.some((file) => file.startsWith('-'))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const results: FileResult[] = [];
  for (const file of files) {
    const result = await lintFile(file);
    results.push(result);
    if (!json) process.stdout.write(formatResult(result));
  }
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return results.some(hasErrors) ? 1 : 0;
}

async function lintFile(file: string): Promise<FileResult> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { file, problems: [{ path: '', message: `cannot read JSON: ${(error as Error).message}` }], findings: [] };
  }
  const problems = validatePolicy(document);
  return { file, problems, findings: problems.length === 0 ? lintPolicy(document as PolicyDocument) : [] };
}
