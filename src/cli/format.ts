import type { Problem } from '../core/errors.js';
import { countFindings, type Finding } from '../core/policy-lint.js';

/** What `inapp-consent lint` found in one file; `--json` prints an array of these. */
export interface FileResult {
  readonly file: string;
  /** Validation problems (shape and references), or why the file could not be read. */
  readonly problems: readonly Problem[];
  /** Lint findings; empty when the file is not a valid policy. */
  readonly findings: readonly Finding[];
}

export const hasErrors = (result: FileResult): boolean =>
  result.problems.length > 0 || result.findings.some((finding) => finding.severity === 'error');

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
const line = (severity: string, rule: string, path: string, message: string) =>
  `  ${severity.padEnd(7)} ${rule.padEnd(6)} ${path ? `${path}: ` : ''}${message}`;

/**
 * One block per file: problems, errors, warnings (with the note that explains each), then info,
 * and a closing line of counts. A problem with no path concerns the file as a whole.
 */
export function formatResult(result: FileResult): string {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const findings = [...result.findings].sort((a, b) => order[a.severity] - order[b.severity]);
  const counts = countFindings(result.findings);
  const errors = result.problems.length + counts.errors;
  return [
    result.file,
    ...result.problems.map((problem) => line('error', problem.path ? 'schema' : 'file', problem.path, problem.message)),
    ...findings.map((finding) =>
      line(finding.severity, finding.rule, finding.path, finding.message) + (finding.explainedBy === undefined ? '' : ` (explained: ${finding.explainedBy})`)),
    `  ${plural(errors, 'error')}, ${plural(counts.warnings, 'warning')} (${counts.unexplained} unexplained), ${counts.info} info`,
  ].join('\n') + '\n';
}
