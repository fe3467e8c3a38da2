import type { ComponentChildren } from 'preact';
import type { PolicyDocument } from '../core/policy-types.js';
import { indexPolicy } from './policy-index.js';
import { fill, type Strings } from './strings.js';
import { link, richText } from './text.js';

// size: the widget's parts are plain functions returning elements, `field(label, value)`, not
// components, `<Field label={label}>{value}</Field>`: the DOM is the same, and the ~100 calls
// minify shorter (no props object, no component to diff).

type Channel = PolicyDocument['rights'][number]['channels'][number];

/** A labelled value; nothing when there is no value. */
export function field(label: string, value: ComponentChildren) {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return null;
  return (
    <div class="kv">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** A dialog button: `pri` for the one the dialog leads to, `link` for one that reads as a link. */
export const button = (label: ComponentChildren, onClick: (event: MouseEvent) => void, kind?: 'pri' | 'link') => (
  <button type="button" class={kind} onClick={onClick}>{label}</button>
);

/**
 * What a changed policy says changed (CH-01), as the dialog's lead and what goes under it: its
 * own summary, with `note` under it; without one, `note` alone. The policy-change dialog and the one-time notice share it.
 */
export function changeLead(policy: PolicyDocument, note: string): [lead: ComponentChildren, below?: ComponentChildren] {
  const summary = policy.policy.changeSummary;
  return summary ? [richText(summary), <p>{note}</p>] : [note];
}

/** A field whose value is policy text. */
export const textField = (label: string, text: string | null | undefined) => (text ? field(label, richText(text)) : null);

/**
 * Data items by name, sensitive ones in bold with a visible tag (NC-04: PIPL 28, GB/T 35273
 * 5.5 ask that sensitive personal information be marked out).
 */
export function itemNames(policy: PolicyDocument, ids: readonly string[] | undefined, strings: Strings) {
  const { items } = indexPolicy(policy);
  const list = (ids ?? []).flatMap((id) => items.get(id) ?? []);
  // `false`, not null: `field` keeps its row for an empty list (an empty value under the label),
  // as it did when this was a component.
  if (list.length === 0) return false;
  const comma = listSeparator(policy);
  return list.map((item, index) => [
    index > 0 && comma,
    item.sensitive ? [<strong>{item.label}</strong>, <span class="tag">{strings.sensitive}</span>] : item.label,
  ]);
}

const isChinese = (policy: PolicyDocument) => policy.locale.startsWith('zh');
/** The enumeration comma of the policy's language (、 in Chinese). */
const listSeparator = (policy: PolicyDocument) => (isChinese(policy) ? '、' : ', ');

/** Joins policy texts as the policy's language lists them; `clauses` joins with ；. */
export const joinList = (policy: PolicyDocument, list: readonly string[], clauses = false) =>
  list.join(clauses ? (isChinese(policy) ? '；' : '; ') : listSeparator(policy));

/** True when any of the ids is a sensitive item. */
export const hasSensitive = (policy: PolicyDocument, ids: readonly string[] | undefined) =>
  (ids ?? []).some((id) => indexPolicy(policy).items.get(id)?.sensitive);

const URLISH = /^https?:\/\//i;

/** How to reach someone: phone, e-mail, a web page (linked only when http(s)), an in-app path. */
export function channelList(channels: readonly Channel[] | undefined) {
  if (!channels?.length) return false; // false, as in itemNames: a `field` keeps its row
  return (
    <ul>
      {channels.map((channel) => {
        const value = channel.value ?? channel.route ?? '';
        return (
          <li>
            {URLISH.test(value) ? link(value, value) : value}
            {channel.note && [' ', channel.note]}
          </li>
        );
      })}
    </ul>
  );
}

/** The link to the policy's full text, named by its title. */
export const fullTextLink = (policy: PolicyDocument, strings: Strings) =>
  link(policy.policy.fullTextUrl, fill(strings.readFull, policy.policy.title), policy.locale);

/** An expandable entry of a long list; its summary line doubles as its name. */
export const entry = (name: ComponentChildren, fields: ComponentChildren) => (
  <details>
    <summary>{name}</summary>
    <dl>{fields}</dl>
  </details>
);
