import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { countFindings, lintPolicy } from '../../src/core/policy-lint.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { validatePolicy } from '../../src/core/policy-validate.js';
import { fixturePolicy } from '../fixtures/policy.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = join(ROOT, 'examples', 'policies');
const temp = mkdtempSync(join(tmpdir(), 'inapp-consent-lint-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

type Json = { [key: string]: any };
interface Run { code: number; stdout: string; stderr: string }

/** Runs `inapp-consent lint …` from source, as `node --import tsx src/cli/run.ts`. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
function write(name: string, document: unknown): string {
  const file = join(temp, name);
  writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

describe('inapp-consent lint', () => {
  it('exits 0 on a valid policy and prints its findings with a closing count', async () => {
    const run = await cli('lint', write('valid.json', fixturePolicy()));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/valid\.json\n/);
    expect(run.stdout).toContain('  warning RT-01  rights: has no "correct" right');
    expect(run.stdout).toContain('  0 errors, 3 warnings (3 unexplained), 0 info');
  });

  it('exits 1 on a broken policy and lists the path of every problem', async () => {
    const broken = fixturePolicy() as unknown as Json;
    delete broken.controller.name;
    delete broken.policy.summary;
    broken.features[0].necessity = 42;
    broken.locale = 7;
    broken.permissions[0].features[0] = 'no_such_feature';
    const run = await cli('lint', write('broken.json', broken));
    expect(run.code).toBe(1);
    for (const path of ['controller.name', 'policy.summary', 'features[0].necessity', 'locale', 'permissions[0].features[0]']) {
      expect(run.stdout).toContain(`  error   schema ${path}: `);
    }
  });

  it('exits 1 on a lint error, prints errors before warnings before info, and shows the note that explains a warning', async () => {
    const policy = fixturePolicy() as unknown as Json;
    policy.controller.contacts = [];
    policy.dataItems[0].label = '手机号码等';
    policy.policy.sourceAcceptanceModel = 'login';
    policy.sourceNotes = [{ severity: 'warn', rule: 'NC-02', path: 'dataItems', text: '原文如此' }];
    const run = await cli('lint', write('lint-error.json', policy));
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const index = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    expect(index('  error   NC-01  controller.contacts: ')).toBeGreaterThan(0);
    expect(index('  warning NC-02  dataItems[0].label: ')).toBeGreaterThan(index('  error   NC-01'));
    expect(index('  info    CH-02  policy.sourceAcceptanceModel: ')).toBeGreaterThan(index('  warning'));
    expect(run.stdout).toMatch(/dataItems\[0\]\.label: .* \(explained: 原文如此\)\n/);
    expect(run.stdout).toContain('  1 error, 4 warnings (3 unexplained), 1 info');
  });

  it('exits 1 when a file cannot be read, and still reports the other files', async () => {
    const run = await cli('lint', join(temp, 'missing.json'), write('ok.json', fixturePolicy()));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/missing\.json\n  error   file   cannot read JSON: /);
    expect(run.stdout).toMatch(/ok\.json\n/);
  });

  it('prints [{ file, problems, findings }] with --json', async () => {
    const broken = fixturePolicy() as unknown as Json;
    delete broken.controller.name;
    const valid = write('json-valid.json', fixturePolicy());
    const invalid = write('json-broken.json', broken);
    const run = await cli('lint', '--json', valid, invalid);
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as Json[];
    expect(results).toEqual([
      { file: valid, problems: [], findings: lintPolicy(fixturePolicy()) },
      { file: invalid, problems: [{ path: 'controller.name', message: 'is required' }], findings: [] },
    ]);
  });

  it.each([[[]], [['lint']], [['check', 'a.json']], [['lint', '--strict', 'a.json']]])('exits 2 on bad usage %j', async (args) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: inapp-consent lint');
    expect(run.stdout).toBe('');
  });

  it('prints the usage and exits 0 with --help', async () => {
    const run = await cli('lint', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: inapp-consent lint');
  });
});

const seeds = existsSync(SEEDS) ? readdirSync(SEEDS).filter((name) => name.endsWith('.json')).sort() : [];

describe('examples/policies/*.json', () => {
  if (seeds.length === 0) it.skip('has no seed policy in examples/policies/ yet: the seed checks are skipped', () => {});

  describe.each(seeds)('%s', (name) => {
    const file = join(SEEDS, name);

    it('validates with zero problems, has zero lint errors and zero unexplained warnings', () => {
      const document: unknown = JSON.parse(readFileSync(file, 'utf8'));
      expect(validatePolicy(document)).toEqual([]);
      const findings = lintPolicy(document as PolicyDocument);
      const unexplained = findings.filter((finding) => finding.severity === 'error' || (finding.severity === 'warning' && finding.explainedBy === undefined));
      expect(unexplained).toEqual([]);
      expect(countFindings(findings)).toMatchObject({ errors: 0, unexplained: 0 });
    });

    it('broken (controller.name deleted, features[0].necessity 42, a dangling reference) makes the CLI exit 1 and print each path', async () => {
      const broken = JSON.parse(readFileSync(file, 'utf8')) as Json;
      delete broken.controller.name;
      broken.features[0].necessity = 42;
      let dangling: string;
      if (Array.isArray(broken.permissions) && broken.permissions.length > 0) {
        broken.permissions[0].features[0] = 'no_such_feature';
        dangling = 'permissions[0].features[0]';
      } else {
        broken.purposes[0].items[0] = 'no_such_item';
        dangling = 'purposes[0].items[0]';
      }
      const run = await cli('lint', write(`broken-${name}`, broken));
      expect(run.code).toBe(1);
      for (const path of ['controller.name', 'features[0].necessity', dangling]) expect(run.stdout).toContain(`${path}: `);
    });
  });
});
