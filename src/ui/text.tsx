import type { ComponentChildren } from 'preact';

// Functions returning elements, not components, like the parts in parts.tsx (size).

/**
 * Policy texts are data from the host, never markup: they reach the DOM only as text nodes
 * (preact escapes them). The one syntax understood is `**bold**`, which the seeds use to mark
 * sensitive terms (PIPL 28, GB/T 35273 5.5 显著标识); it becomes <strong>, nothing else does.
 */
export function richText(text: string | null | undefined) {
  if (!text) return null;
  const parts = text.split('**');
  // An unmatched `**` leaves the rest as plain text rather than bolding to the end.
  if (parts.length % 2 === 0) return text;
  return parts.map((part, index) => (index % 2 ? <strong>{part}</strong> : part));
}

/** Only http(s) and relative URLs become links: `javascript:`, `data:` and the like never do. */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  return /^https?:\/\//i.test(trimmed) || !/^[^/?#]*:/.test(trimmed) ? trimmed : undefined;
}

/** A link to a policy page; an unsafe URL renders as its text, not as a link. */
export function link(href: string | null | undefined, children: ComponentChildren, lang?: string) {
  const safe = safeHref(href);
  if (!safe) return <span>{children}</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer" lang={lang}>
      {children}
    </a>
  );
}
