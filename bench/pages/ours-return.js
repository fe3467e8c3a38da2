// The launch of a returning user, by hand, the way the drop-in does it: fetch the policy,
// create the instance, wait for `ready` (stored state restored). `createToReady` brackets the
// SDK alone: from createConsent() to `ready` resolved.
(window.__bench = window.__bench || {}).done = (async () => {
  const policy = await (await fetch('/examples/policies/lakala-pay.json')).json();
  const t0 = performance.now();
  const consent = InAppConsent.create({ policy, endpoint: '/bench/receipts' });
  const created = performance.now(); // the synchronous part: options, policy validation, hashing
  await consent.ready;
  const t1 = performance.now();
  window.__consent = consent;
  return { createToReady: t1 - t0, createSync: created - t0, navToReady: t1, needsConsent: consent.needsConsent };
})().catch((error) => ({ error: String((error && error.stack) || error) }));
