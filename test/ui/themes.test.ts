import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DARK, HIGH_CONTRAST, LIGHT, SHARED, WIDGET_CSS } from '../../src/ui/css.js';

const THEMES = { light: SHARED + LIGHT, dark: DARK, 'high-contrast': HIGH_CONTRAST };
const NAMES = { light: 'light theme (the default)', dark: 'dark theme', 'high-contrast': 'high-contrast theme' };

/** themes/NAME.css: the custom properties of one theme, set on the widget's host element. */
function themeFile(name: keyof typeof THEMES): string {
  const declarations = THEMES[name].split(';').filter(Boolean).map((declaration) => `  ${declaration.replace(':', ': ')};`);
  return [
    `/* inapp-consent: ${NAMES[name]}. Generated from src/ui/css.ts (UPDATE_THEMES=1 npx vitest run test/ui/themes.test.ts). */`,
    '/* Link this file, or set any of these properties on inapp-consent in your own CSS: rules on the host element beat the widget\'s defaults. */',
    'inapp-consent {',
    ...declarations,
    '}',
    '',
  ].join('\n');
}

const vars = (block: string) => Object.fromEntries(block.split(';').filter(Boolean).map((declaration) => declaration.split(':') as [string, string]));

function luminance(hex: string): number {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit).join('') : hex.slice(1);
  return [0, 2, 4]
    .map((start) => Number.parseInt(digits.slice(start, start + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, index) => sum + c * [0.2126, 0.7152, 0.0722][index]!, 0);
}
const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

describe('themes', () => {
  for (const name of Object.keys(THEMES) as (keyof typeof THEMES)[]) {
    it(`themes/${name}.css matches src/ui/css.ts`, () => {
      const path = fileURLToPath(new URL(`../../themes/${name}.css`, import.meta.url));
      if (process.env.UPDATE_THEMES) writeFileSync(path, themeFile(name));
      expect(readFileSync(path, 'utf8')).toBe(themeFile(name));
    });
  }

  it('FL-07: every text colour pair reaches 4.5:1 in every theme', () => {
    for (const block of [LIGHT, DARK, HIGH_CONTRAST]) {
      const v = { ...vars(LIGHT), ...vars(block) };
      const pairs = [
        ['--iac-fg', '--iac-bg'], ['--iac-muted', '--iac-bg'], ['--iac-fg', '--iac-soft'], ['--iac-muted', '--iac-soft'],
        ['--iac-on-accent', '--iac-accent'], ['--iac-link', '--iac-bg'], ['--iac-link', '--iac-soft'], ['--iac-sensitive', '--iac-sensitive-bg'],
      ];
      for (const [fg, bg] of pairs) expect(contrast(v[fg!]!, v[bg!]!), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('FL-07: no text under 14px, and buttons, switches and links at least 44px tall', () => {
    const sizes = [...WIDGET_CSS.matchAll(/font(?:-size)?:(?:var\(--iac-font-size\)|(\d+)px)/g)].map((match) => match[1]);
    expect(sizes.length).toBeGreaterThan(3);
    for (const size of sizes) if (size) expect(Number(size)).toBeGreaterThanOrEqual(14);
    expect(Number(vars(SHARED)['--iac-font-size']!.replace('px', ''))).toBeGreaterThanOrEqual(14);
    expect(WIDGET_CSS).toMatch(/button\{min-height:44px/);
    expect(WIDGET_CSS).toMatch(/\.links a\{[^}]*min-height:44px/);
    // The switch: 32px track inside a 6px transparent border = a 44px target.
    expect(WIDGET_CSS).toMatch(/input\[role=switch\]\{[^}]*height:32px;[^}]*border:6px solid transparent/);
  });

  it('respects prefers-color-scheme, prefers-contrast and prefers-reduced-motion', () => {
    expect(WIDGET_CSS).toContain('@media (prefers-color-scheme:dark){:host([data-theme=auto])');
    expect(WIDGET_CSS).toContain('@media (prefers-contrast:more){:host([data-theme=auto])');
    expect(WIDGET_CSS).toMatch(/@media \(prefers-reduced-motion:no-preference\)\{\.dlg\{animation/);
    expect(WIDGET_CSS.replace(/@media \(prefers-reduced-motion:no-preference\)\{[^}]*\}\}/, '')).not.toMatch(/animation:/);
  });
});
