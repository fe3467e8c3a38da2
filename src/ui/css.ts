/**
 * The widget's styles, bundled as text and adopted into its shadow root (see styles.ts): no
 * extra request, nothing for the host to host, and no inline <style> a strict CSP would
 * block. Every colour, radius, font and size is a `--iac-*` custom property; a host restyles by
 * setting them on the `inapp-consent` element (its rules beat `:host`), or links one of the
 * files in themes/, which are generated from these constants (test/ui/themes.test.ts).
 *
 * Readability floors (FL-07, our proxies for METHOD 一.4 and MIIT 2023 缩小文字): no text under
 * 14px, text contrast ≥ 4.5:1 in every theme, touch targets ≥ 44px.
 */

export const SHARED =
  '--iac-font:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;' +
  '--iac-font-size:15px;--iac-radius:12px;--iac-button-radius:8px;--iac-z:2147483000;--iac-shadow:0 8px 32px rgba(0,0,0,.24);';

export const LIGHT =
  '--iac-bg:#fff;--iac-fg:#1f2329;--iac-muted:#545b66;--iac-soft:#f2f3f5;--iac-line:#dcdfe4;--iac-accent:#1456f0;' +
  '--iac-on-accent:#fff;--iac-link:#1456f0;--iac-focus:#1456f0;--iac-sensitive:#b42318;--iac-sensitive-bg:#fdecea;' +
  '--iac-off:#7d838c;--iac-knob:#fff;--iac-scrim:rgba(0,0,0,.5);';

export const DARK =
  '--iac-bg:#232428;--iac-fg:#e6e8eb;--iac-muted:#a9afb8;--iac-soft:#2e3035;--iac-line:#44474e;--iac-accent:#7aa7ff;' +
  '--iac-on-accent:#0b1220;--iac-link:#7aa7ff;--iac-focus:#7aa7ff;--iac-sensitive:#ffb4ab;--iac-sensitive-bg:#3b2422;' +
  '--iac-off:#6b707a;--iac-knob:#fff;--iac-scrim:rgba(0,0,0,.6);';

export const HIGH_CONTRAST =
  '--iac-bg:#fff;--iac-fg:#000;--iac-muted:#000;--iac-soft:#fff;--iac-line:#000;--iac-accent:#0030b0;' +
  '--iac-on-accent:#fff;--iac-link:#0030b0;--iac-focus:#000;--iac-sensitive:#8b0000;--iac-sensitive-bg:#fff;' +
  '--iac-off:#000;--iac-knob:#fff;--iac-scrim:rgba(0,0,0,.75);';

/**
 * The structure: reads only custom properties. size: each line ends in `\`, so no newlines
 * ship, and shorthands are used where the computed style is the same (`flex:auto`, `flex-flow`).
 */
export const BASE = `\
.root{font:var(--iac-font-size)/1.6 var(--iac-font);color:var(--iac-fg);-webkit-text-size-adjust:100%}\
.scrim{position:fixed;inset:0;z-index:var(--iac-z);display:flex;align-items:center;justify-content:center;box-sizing:border-box;\
padding:max(16px,env(safe-area-inset-top)) max(16px,env(safe-area-inset-right)) max(16px,env(safe-area-inset-bottom)) max(16px,env(safe-area-inset-left));background:var(--iac-scrim)}\
.scrim[hidden]{display:none}\
.at-top{align-items:flex-start}\
.dlg{display:flex;flex-flow:column;box-sizing:border-box;width:100%;max-width:420px;max-height:100%;overflow:hidden;background:var(--iac-bg);border-radius:var(--iac-radius);box-shadow:var(--iac-shadow);outline:0}\
h2{margin:0;padding:20px 20px 8px;font-size:18px;line-height:1.4;text-align:center}\
h3{margin:16px 0 4px;font-size:16px}\
.body{flex:auto;overflow:auto;overscroll-behavior:contain;padding:0 20px 8px;overflow-wrap:anywhere}\
p,ul,dl{margin:0 0 12px}\
ul{padding-left:1.2em}\
dd{margin:0}\
.kv{padding:4px 0}\
.meta .kv{display:flex;gap:12px;padding:0}\
dt,.sub,.state{color:var(--iac-muted)}\
.sub{display:block}\
.state{margin-left:8px;font-weight:400}\
.acts{display:flex;gap:12px;padding:12px 20px 20px;border-top:1px solid var(--iac-line)}\
.acts button{flex:1}\
button{min-height:44px;padding:8px 16px;border:1px solid var(--iac-line);border-radius:var(--iac-button-radius);background:var(--iac-soft);color:var(--iac-fg);font:inherit;font-weight:600;cursor:pointer}\
.pri{background:var(--iac-accent);border-color:var(--iac-accent);color:var(--iac-on-accent)}\
.link,a{color:var(--iac-link)}\
.link{padding:0;border:0;background:none;font-weight:400;text-decoration:underline}\
.links{display:flex;flex-wrap:wrap;align-items:center;gap:0 16px}\
.links a{display:inline-flex;align-items:center;min-height:44px}\
:focus-visible{outline:3px solid var(--iac-focus);outline-offset:2px}\
.dlg:focus-visible{outline:0}\
.tag{display:inline-block;margin:0 4px;padding:0 6px;border-radius:4px;background:var(--iac-sensitive-bg);color:var(--iac-sensitive);font-size:14px;line-height:1.6;font-weight:600}\
details{border-bottom:1px solid var(--iac-line)}\
summary{padding:10px 0;cursor:pointer}\
.note{margin-bottom:12px;padding:12px;border-radius:8px;background:var(--iac-soft)}\
.note p{margin-bottom:8px}\
.row{display:grid;grid-template-columns:1fr auto;align-items:center;gap:0 12px;padding:4px 0;border-bottom:1px solid var(--iac-line)}\
.row .sub{grid-column:1/-1;margin:0 0 8px}\
input{margin:0;accent-color:var(--iac-accent);cursor:pointer}\
[type=checkbox]:not([role]){width:24px;height:24px;margin:10px}\
input[role=switch]{appearance:none;-webkit-appearance:none;box-sizing:content-box;width:52px;height:32px;border:6px solid transparent;border-radius:22px;\
background:radial-gradient(circle at 16px 50%,var(--iac-knob) 12px,transparent 13px) padding-box,var(--iac-off) padding-box}\
input[role=switch]:checked{background:radial-gradient(circle at 36px 50%,var(--iac-knob) 12px,transparent 13px) padding-box,var(--iac-accent) padding-box}\
@media (prefers-reduced-motion:no-preference){.dlg{animation:iac-in .18s ease-out}}\
@keyframes iac-in{from{opacity:0;transform:translateY(8px)}}\
@media (forced-colors:active){.dlg{border:1px solid CanvasText}[role=switch]{appearance:auto;width:24px;height:24px}}\
`;

/**
 * The whole sheet: light by default, dark and high contrast by `theme` option or, with
 * `auto`, by prefers-color-scheme / prefers-contrast. `all: initial` keeps the page's inherited
 * fonts, colours and line heights out of the widget.
 */
export const WIDGET_CSS =
  `:host{all:initial;${SHARED}${LIGHT}}` +
  `:host([data-theme=dark]){${DARK}}@media (prefers-color-scheme:dark){:host([data-theme=auto]){${DARK}}}` +
  `:host([data-theme=high-contrast]){${HIGH_CONTRAST}}@media (prefers-contrast:more){:host([data-theme=auto]){${HIGH_CONTRAST}}}` +
  BASE;
