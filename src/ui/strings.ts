/**
 * Every string the widget writes itself, in zh-CN (the default) and en. Policy texts are not
 * here: they come from the policy document, in its own language. A host overrides any key with
 * the `strings` option; `{0}` is replaced by the one value a string takes.
 */
import { EN } from './strings-en.js';
import { ZH, type Strings } from './strings-zh.js';

export type { Strings };

/** The widget's language: the `locale` option, else `<html lang>`, else zh-CN. */
export function pickLocale(locale: string | undefined): 'zh-CN' | 'en' {
  const tag = locale ?? (typeof document === 'undefined' ? '' : document.documentElement.lang);
  return /^en\b/i.test(tag) ? 'en' : 'zh-CN';
}

/** The strings for a language, with the host's overrides on top. */
export function pickStrings(locale: 'zh-CN' | 'en', overrides: Partial<Strings> = {}): Strings {
  return { ...(locale === 'en' ? EN : ZH), ...overrides };
}

/** Fills the `{0}` of a string. */
export const fill = (template: string, value: string | number): string => template.replace('{0}', String(value));
