import type { ComponentChildren } from 'preact';
import type { PolicyDocument } from '../core/policy-types.js';
import { indexPolicy } from './policy-index.js';
import type { Strings } from './strings.js';
import { Link, Rich } from './text.js';

type Channel = PolicyDocument['rights'][number]['channels'][number];

/** A labelled value; renders nothing when there is no value. */
export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  if (children === undefined || children === null || children === '' || (Array.isArray(children) && children.length === 0)) return null;
  return (
    <div class="kv">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A field whose value is policy text. */
export const TextField = ({ label, text }: { label: string; text: string | null | undefined }) =>
  text ? <Field label={label}><Rich text={text} /></Field> : null;

/**
 * Data items by name, sensitive ones in bold with a visible tag (NC-04: PIPL 28, GB/T 35273
 * 5.5 ask that sensitive personal information be marked out).
 */
export function Items({ policy, ids, strings }: { policy: PolicyDocument; ids: readonly string[] | undefined; strings: Strings }) {
  const { items } = indexPolicy(policy);
  const list = (ids ?? []).flatMap((id) => items.get(id) ?? []);
  if (list.length === 0) return null;
  const comma = listSeparator(policy);
  return (
    <>
      {list.map((item, index) => (
        <>
          {index > 0 && comma}
          {item.sensitive ? (
            <>
              <strong>{item.label}</strong>
              <span class="tag">{strings.sensitive}</span>
            </>
          ) : (
            item.label
          )}
        </>
      ))}
    </>
  );
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
export function Channels({ channels }: { channels: readonly Channel[] | undefined }) {
  if (!channels?.length) return null;
  return (
    <ul>
      {channels.map((channel) => {
        const value = channel.value ?? channel.route ?? '';
        return (
          <li>
            {URLISH.test(value) ? <Link href={value}>{value}</Link> : value}
            {channel.note && <> {channel.note}</>}
          </li>
        );
      })}
    </ul>
  );
}

/** An expandable entry of a long list; its summary line doubles as its name. */
export const Entry = ({ name, children }: { name: ComponentChildren; children: ComponentChildren }) => (
  <details>
    <summary>{name}</summary>
    <dl>{children}</dl>
  </details>
);
