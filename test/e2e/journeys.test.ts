import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectReceiptsVerified } from './journeys-receipts.js';
import { expectedKinds, planProblems, PLANS } from './journeys-seeds.js';
import {
  answerFirstLaunch, closePrivacyCenter, featureAsksAgain, firstLaunch, openPrivacyCenter, openWidgetDialogs, readSummary, switchOn, useFeature, widgetDialog, withdraw,
} from './journeys-steps.js';
import { nothingToDecide, openApp, osRequests, pageLog, policyOf, receiptsAt, snapshot, startJourneySuite, type JourneySuite, type Snapshot } from './journeys-support.js';
import { IIFE, ROOT } from './widget-support.js';

/**
 * Issue 6's proof, per seed app: the demo app (examples/apps/SLUG) with the script-tag build
 * and its policy, in Chromium at 360×640, the native-host simulator behind the React Native
 * bridge answering as the "OS", and the reference receiver behind `/receipts`. One browser for
 * the file, a fresh phone (context) per test. What each seed does is in journeys-seeds.ts.
 */
const kept = (state: Snapshot) => ({ decision: state.decision, subject: state.subject, policyVersion: state.policyVersion, granted: state.granted, permissions: state.permissions });

describe.skipIf(!existsSync(IIFE))('seed app journeys (script tag, simulated native host, reference receiver)', () => {
  let suite: JourneySuite;
  beforeAll(async () => {
    suite = await startJourneySuite();
  });
  afterAll(async () => {
    await suite?.close();
  });

  for (const plan of PLANS) {
    const { slug } = plan;
    const policy = policyOf(slug);
    const separateIds = new Set(policy.separateConsents.map((entry) => entry.id));
    const tied = new Set(policy.separateConsents.flatMap((entry) => entry.purposeId ?? []));

    it(`${slug}: journey — first launch, summary, agree, optional switch, permissions, separate consent, withdraw, receipts verified`, async () => {
      expect(planProblems(plan, policy, readFileSync(`${ROOT}examples/apps/${slug}/index.html`, 'utf8')), 'journeys-seeds.ts against the policy and the app').toEqual([]);
      const app = await openApp(suite, slug);
      const { page } = app;
      try {
        const sentBefore = suite.receiver.requests.length;
        await firstLaunch(page);
        await readSummary(page, policy);
        expect(suite.receiver.requests.length, 'FL-01: nothing is sent before a decision').toBe(sentBefore);
        expect(app.sent, 'FL-01: the page sends nothing before a decision').toEqual([]);
        await answerFirstLaunch(page, '同意');

        // FL-05: 同意 grants the basic bundle only; optional purposes (CG-01) and separate consents (SC-01) stay off.
        const agreed = await snapshot(page);
        expect(agreed.decision).toBe('agreed');
        for (const purpose of policy.purposes) {
          if (purpose.consentMode === 'basic_bundle' && !tied.has(purpose.id)) expect(agreed.granted[purpose.id], purpose.id).toBe(true);
          if (purpose.consentMode === 'optional_toggle') expect(agreed.granted[purpose.id], purpose.id).toBe(false);
        }
        for (const id of separateIds) expect(agreed.granted[id], id).toBe(false);

        await openPrivacyCenter(page);
        await switchOn(page, policy, plan.optional.purpose, plan.optional.separates);
        await closePrivacyCenter(page);

        // PP-01 … PP-03 and SC-01 … SC-04 at the features that need them.
        for (const step of plan.features) await useFeature(page, policy, step);

        await openPrivacyCenter(page);
        for (const id of plan.withdraw) await withdraw(page, policy, id);
        await closePrivacyCenter(page);
        // CG-02 / WD-03: what does not rest on the withdrawn items keeps working, and asks nothing.
        await useFeature(page, policy, { feature: plan.stillWorks, asks: [] });
        // …and what rests on a withdrawn separate consent asks for it again instead of starting.
        for (const step of plan.features) {
          const again = step.asks.find((ask) => 'separate' in ask && plan.withdraw.includes(ask.separate));
          if (again && 'separate' in again) await featureAsksAgain(page, policy, step.feature, again.separate);
        }

        const receipts = await expectReceiptsVerified(suite, page, expectedKinds(plan, separateIds));
        expect(receipts.at(-1)!.payload.x.event.type).toBe('withdrawn');
        // PP-02 as evidence: each permission receipt says whether the rationale was on screen first.
        const asks = plan.features.flatMap((step) => step.asks.flatMap((ask) => ('permission' in ask && !('already' in ask && ask.already === 'unavailable') ? [ask] : [])));
        expect(receipts.flatMap((receipt) => receipt.payload.x.permission ?? []).map(({ id, prePrompt, osAfter }) => ({ id, prePrompt, osAfter })))
          .toEqual(asks.map((ask) => ({ id: ask.permission, prePrompt: 'already' in ask ? 'skipped' : 'shown', osAfter: 'granted' })));
        expect(app.errors).toEqual([]);
        expect((await pageLog(page)).errors).toEqual([]);
      } finally {
        await app.close();
      }
    });

    it(`${slug}: declining gives the limited mode`, async () => {
      const app = await openApp(suite, slug);
      const { page } = app;
      try {
        await firstLaunch(page);
        await answerFirstLaunch(page, '不同意');
        // FL-04: one explanation, then nothing more is asked.
        const explained = widgetDialog(page, '您未同意隐私政策');
        await explained.getByRole('button', { name: '我知道了' }).click();
        await explained.waitFor({ state: 'detached' });
        expect(await nothingToDecide(page)).toBe(true);
        expect(await openWidgetDialogs(page)).toBe(0);
        const declined = await snapshot(page);
        expect(declined.decision).toBe('declined');
        expect(Object.entries(declined.granted).filter(([, on]) => on)).toEqual([]);

        // The app in limited mode: it says so, and a feature needing data explains itself without any prompt.
        await page.locator('#mode-banner').waitFor();
        expect(await page.locator('#mode-banner').textContent()).toContain('仅浏览模式');
        await page.locator(`[data-feature="${plan.features[0]!.feature}"]`).click();
        const sheet = page.locator('#sheet');
        await sheet.waitFor();
        expect(await sheet.getByRole('heading').first().textContent()).toContain('暂不可用');
        expect(await openWidgetDialogs(page)).toBe(0);
        expect(await osRequests(page)).toBe(0);

        const [receipt] = await expectReceiptsVerified(suite, page, ['decline']);
        expect(receipt!.payload.x.event.type).toBe('refused');

        // Never a loop: a relaunch asks nothing (WD-02), and sends nothing new.
        await app.reload();
        expect(await nothingToDecide(page)).toBe(true);
        expect(await page.locator('inapp-consent').count()).toBe(0);
        expect((await snapshot(page)).decision).toBe('declined');
        expect(await receiptsAt(suite, declined.subject)).toHaveLength(1);
        expect(app.errors).toEqual([]);
        expect((await pageLog(page)).errors).toEqual([]);
      } finally {
        await app.close();
      }
    });

    it(`${slug}: a reload keeps every decision`, async () => {
      const app = await openApp(suite, slug);
      const { page } = app;
      try {
        await firstLaunch(page);
        await answerFirstLaunch(page, '同意');
        await openPrivacyCenter(page);
        await switchOn(page, policy, plan.optional.purpose, plan.optional.separates);
        await closePrivacyCenter(page);
        for (const step of plan.features) await useFeature(page, policy, step);
        // One basic purpose switched off too, so "kept" covers a refusal as well as grants.
        await openPrivacyCenter(page);
        await withdraw(page, policy, plan.changed);
        await closePrivacyCenter(page);
        const before = await snapshot(page);
        expect(Object.keys(before.permissions).length + [...separateIds].filter((id) => before.granted[id]).length).toBeGreaterThan(0);

        // CG-05: stored decisions restored; no dialog; nothing decided again.
        await app.reload();
        expect(await nothingToDecide(page)).toBe(true);
        expect(await page.locator('inapp-consent').count()).toBe(0);
        const after = await snapshot(page);
        expect(kept(after)).toEqual(kept(before));
        expect(after.granted[plan.changed]).toBe(false);
        expect(after.granted[plan.optional.purpose]).toBe(true);
        expect(app.errors).toEqual([]);
        expect((await pageLog(page)).errors).toEqual([]);
      } finally {
        await app.close();
      }
    });

    it(`${slug}: a material change to one purpose re-asks only that purpose`, async () => {
      const app = await openApp(suite, slug);
      const { page } = app;
      try {
        await firstLaunch(page);
        await answerFirstLaunch(page, '同意');
        await openPrivacyCenter(page);
        await switchOn(page, policy, plan.optional.purpose, plan.optional.separates);
        await closePrivacyCenter(page);
        const before = await snapshot(page);

        // Version 2: one purpose's content changes (so its hash does), nothing else.
        const next = structuredClone(policy);
        const purpose = next.purposes.find((entry) => entry.id === plan.changed)!;
        purpose.label = `${purpose.label}（新增：处理结果用于服务质量回访）`;
        next.policy.version = `${policy.policy.version}-r2`;
        app.serve(next);
        await app.reload();

        // CH-01: the policy-change dialog names only the changed purpose.
        const change = widgetDialog(page, '隐私政策已更新');
        await change.waitFor();
        const items = change.getByRole('listitem');
        expect(await items.count()).toBe(1);
        expect(await items.first().textContent()).toContain(purpose.label);
        expect(await change.getByRole('link', { name: `阅读《${policy.policy.title}》全文` }).count()).toBe(1);
        const asking = await snapshot(page);
        expect(asking.policyVersion).toBe(next.policy.version);
        expect(asking.pending).toEqual({ purposes: [plan.changed], separateConsents: [] });
        // CG-04: everything else keeps its state while the question is open.
        expect({ ...asking.granted, [plan.changed]: true }).toEqual(before.granted);
        expect(asking.granted[plan.changed]).toBe(false);

        await change.getByRole('button', { name: '同意', exact: true }).click();
        await change.waitFor({ state: 'detached' });
        const after = await snapshot(page);
        expect(after.granted).toEqual(before.granted);
        expect(after.needsConsent).toBe(false);

        // The re-consent's receipt, bound to version 2 and to that purpose alone.
        const kinds = ['agree', ...plan.optional.separates.map(() => 'separate_consent'), 'purpose', 'policy_change'];
        const receipts = await expectReceiptsVerified(suite, page, kinds, 1);
        const last = receipts.at(-1)!.payload.x;
        expect(last.notice.version).toBe(next.policy.version);
        expect(last.decisions).toEqual([expect.objectContaining({ purposeId: plan.changed, status: 'granted' })]);
        expect(app.errors).toEqual([]);
        expect((await pageLog(page)).errors).toEqual([]);
      } finally {
        await app.close();
      }
    });
  }
});
