/**
 * Runs `load` once, when first asked, and shares its promise; a failed load is tried again at
 * the next ask. For the parts of an instance that `ready` does not need (receipts, the bridge,
 * the permission flow): in the ESM builds they are `import()`ed, so bundlers split them off the
 * start path; the script tag inlines them.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
