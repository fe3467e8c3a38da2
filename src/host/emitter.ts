/**
 * A minimal typed event emitter. A listener that throws never stops the others or reaches the
 * code that emitted: its error is handed to `onListenerError` (the instance reports it as an
 * `error` event, and an `error` listener that throws is rethrown asynchronously instead).
 */
export function createEmitter<Events extends Record<string, unknown>>(onListenerError: (error: unknown, type: keyof Events) => void) {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on<T extends keyof Events>(type: T, listener: (payload: Events[T]) => void): () => void {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    },
    emit<T extends keyof Events>(type: T, payload: Events[T]): void {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          (listener as (payload: Events[T]) => void)(payload);
        } catch (error) {
          onListenerError(error, type);
        }
      }
    },
    clear: () => listeners.clear(),
  };
}
