/**
 * When to flush (§4.4): coming online (never trusting `navigator.onLine` alone — just try),
 * becoming visible, and the native app's resume (the bridge calls `resumeSignal`). When the
 * page is hidden — more reliable on mobile than `pagehide`/`unload` — `onHidden` sends a
 * keepalive batch, once per hidden period. Returns the function that removes every listener.
 */
export function watchTriggers(onFlush: () => void, onHidden: () => void, resumeSignal?: (listener: () => void) => () => void): () => void {
  const removers: (() => void)[] = [];
  const listen = (target: EventTarget | undefined, type: string, listener: () => void) => {
    if (typeof target?.addEventListener !== 'function') return;
    target.addEventListener(type, listener);
    removers.push(() => target.removeEventListener(type, listener));
  };
  const view = typeof window === 'undefined' ? undefined : window;
  const doc = typeof document === 'undefined' ? undefined : document;
  let hidden = false;
  const leave = () => {
    if (!hidden) onHidden();
    hidden = true;
  };
  listen(view, 'online', onFlush);
  listen(view, 'pagehide', leave);
  listen(doc, 'visibilitychange', () => {
    if (doc?.visibilityState !== 'hidden') {
      hidden = false;
      onFlush();
    } else leave();
  });
  if (resumeSignal) removers.push(resumeSignal(onFlush));
  return () => removers.forEach((remove) => remove());
}
