import { RULES } from './lint-rules.js';
import type { PolicyDocument } from './policy-types.js';

/**
 * One lint finding (docs/lint-rules.md). Errors make `inapp-consent lint` fail; warnings must be
 * explained by a `sourceNotes` entry; info lines are kept for audit.
 */
export interface Finding {
  readonly rule: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** JSON path of the field the finding is about, as the validator writes it. */
  readonly path: string;
  readonly message: string;
  /** The text of the source note that explains this warning. */
  readonly explainedBy?: string;
}

export interface FindingCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly unexplained: number;
  readonly info: number;
}

/**
 * The China-rule checks a valid policy document must also pass (run it after `validatePolicy`).
 * A seed is converted faithfully, defects included (§B.8 item 17): a warning the source text
 * causes is recorded in `sourceNotes` rather than silently fixed, and such a note explains it.
 */
export function lintPolicy(policy: PolicyDocument): Finding[] {
  const findings: Finding[] = [];
  for (const check of RULES) check(policy, (rule, severity, path, message) => findings.push({ rule, severity, path, message }));
  const notes = policy.sourceNotes ?? [];
  return findings.map((finding) => {
    if (finding.severity !== 'warning') return finding;
    const note = notes.find((candidate) => candidate.rule === finding.rule && candidate.path !== undefined && coversPath(candidate.path, finding.path));
    return note ? { ...finding, explainedBy: note.text } : finding;
  });
}

/**
 * Whether a note about `notePath` covers a finding at `findingPath`: the same path, or an
 * ancestor of it (`dataItems` covers `dataItems[3].label`; `data` does not).
 */
export function coversPath(notePath: string, findingPath: string): boolean {
  if (!findingPath.startsWith(notePath)) return false;
  const next = findingPath.charAt(notePath.length);
  return next === '' || next === '.' || next === '[';
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const count = (test: (finding: Finding) => boolean) => findings.filter(test).length;
  return {
    errors: count((finding) => finding.severity === 'error'),
    warnings: count((finding) => finding.severity === 'warning'),
    unexplained: count((finding) => finding.severity === 'warning' && finding.explainedBy === undefined),
    info: count((finding) => finding.severity === 'info'),
  };
}
