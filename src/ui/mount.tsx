import { render } from 'preact';
import { WIDGET_CSS } from './css.js';
import { Root } from './root.js';
import { adoptStyles } from './styles.js';
import type { WidgetContext, WidgetOptions } from './types.js';
import type { ViewStack } from './view-stack.js';

export interface MountedWidget {
  /** The `inapp-consent` element; its open shadow root holds the widget. */
  readonly host: HTMLElement;
  unmount(): void;
}

/**
 * Mounts the widget in one host element with an open shadow root (host CSS cannot reach in,
 * tests and hosts can look in). Preact renders into a container inside the shadow root, so
 * the fallback <style> beside it is never touched by the diff.
 */
export function mountWidget(ctx: WidgetContext, stack: ViewStack, options: WidgetOptions): MountedWidget {
  const host = document.createElement('inapp-consent');
  host.setAttribute('data-theme', options.theme ?? 'auto');
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow, WIDGET_CSS, options);
  const container = document.createElement('div');
  shadow.append(container);
  (options.container ?? document.body).append(host);
  render(<Root ctx={ctx} stack={stack} />, container);
  return {
    host,
    unmount() {
      render(null, container);
      host.remove();
    },
  };
}
