/**
 * A URL made absolute against the page: a receipt's Kantara `policyUrl` must be absolute, and
 * a policy may name its full text relative to the page. Unchanged where there is no page
 * (Node) or it cannot be resolved.
 */
export function absoluteUrl(url: string): string {
  try {
    return typeof location === 'undefined' ? url : new URL(url, location.href).href;
  } catch {
    return url;
  }
}
