import type { WidgetOptions } from './types.js';

/**
 * Puts the widget's stylesheet into its shadow root. Constructable stylesheets first: a page
 * whose CSP has no `unsafe-inline` still applies them (CSP governs <style> elements and style
 * attributes, not sheets built by script). Where they are missing (Android WebView before
 * Chrome 73, iOS before 16.4) or the host asks for it, a <style> element carries the host's
 * CSP nonce instead.
 */
export function adoptStyles(root: ShadowRoot, css: string, options: Pick<WidgetOptions, 'styleNonce' | 'styleElement'>): void {
  if (!options.styleElement && 'adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  if (options.styleNonce) style.nonce = options.styleNonce;
  style.textContent = css;
  root.append(style);
}
