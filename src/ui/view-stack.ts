import { signal, type ReadonlySignal } from '@preact/signals-core';
import type { Kind, Open, Results, View } from './types.js';

export interface ViewStack {
  /** Open surfaces, bottom first; only the last one is shown and interactive. */
  readonly views: ReadonlySignal<readonly Open[]>;
  /** Opens a surface on top; resolves with its result when it closes. */
  show<K extends Kind>(view: View<K>): Promise<Results[K]>;
}

/**
 * The widget's one piece of UI state. A surface opened from another (the summary from the
 * first-launch dialog, a separate consent from the privacy center) stacks on it, so closing it
 * returns to where the person was. `onShow` runs before each surface opens (the widget mounts
 * then, on first use).
 */
export function createViewStack(onShow: () => void = () => undefined): ViewStack {
  const views = signal<readonly Open[]>([]);
  let next = 0;
  return {
    views,
    show<K extends Kind>(view: View<K>) {
      return new Promise<Results[K]>((resolve) => {
        const open = {
          ...view,
          key: next++,
          // A second tap on a closing surface finds it gone and changes nothing.
          done(result: Results[K]) {
            views.value = views.value.filter((entry) => entry !== open);
            resolve(result);
          },
        } as unknown as Open;
        onShow();
        views.value = [...views.value, open];
      });
    },
  };
}
