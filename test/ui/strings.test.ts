import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EN } from '../../src/ui/strings-en.js';
import { ZH } from '../../src/ui/strings-zh.js';

describe('EN', () => {
  // strings-en.ts lists its values in ZH's key order (size), each line ending with `// key`.
  it('has each value on the line that names its key, in the order of ZH', () => {
    const source = readFileSync(fileURLToPath(new URL('../../src/ui/strings-en.ts', import.meta.url)), 'utf8');
    const keysByLine = [...source.matchAll(/^ {2}'(?:[^'\\]|\\.)*', \/\/ (\S+)$/gm)].map((match) => match[1]);
    expect(keysByLine).toEqual(Object.keys(ZH));
  });

  it('has a string for every key of ZH and no other', () => {
    expect(Object.keys(EN)).toEqual(Object.keys(ZH));
    for (const [key, value] of Object.entries(EN)) expect(typeof value, key).toBe('string');
    expect(EN.agree).toBe('Agree');
    expect(EN['unit.hour']).toBe('{0} hours');
  });

  it('takes a {0} exactly where ZH does', () => {
    for (const key of Object.keys(ZH) as (keyof typeof ZH)[]) expect(EN[key].includes('{0}'), key).toBe(ZH[key].includes('{0}'));
  });
});
