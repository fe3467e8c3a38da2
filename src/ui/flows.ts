import type { BasicDecision } from '../core/decision-types.js';
import { ConsentError } from '../core/errors.js';
import type { ConsentInstance } from '../host/instance.js';
import type { RationalePrompt } from '../permissions/types.js';
import type { ViewStack } from './view-stack.js';

/** The decisions behind the surfaces: which dialog follows which, and what each records. */
export interface Flows {
  firstLaunch(): Promise<BasicDecision>;
  /** From the privacy center after a decline: the first-launch dialog again, by the person's own tap. */
  reviewAgree(): Promise<BasicDecision>;
  separate(consentId: string): Promise<boolean>;
  /** The rationale prompt (PP-02) the instance shows before each OS permission request. */
  rationale: RationalePrompt;
  /** Resolve with the state now in force, for the switch that asked. */
  switchPurpose(purposeId: string, on: boolean): Promise<boolean>;
  switchSeparate(consentId: string, on: boolean): Promise<boolean>;
}

const invalid = (message: string) => new ConsentError('invalid-action', `inapp-consent: ${message}`);

export function createFlows(consent: ConsentInstance, stack: ViewStack): Flows {
  let firstLaunchRun: Promise<BasicDecision> | undefined;
  /** The policy notice shown already: each is shown once. */
  let noticeShown: unknown;
  const exitOnDecline = () => consent.policy.ui?.firstLaunch?.onBasicDecline === 'confirmThenExit';

  // FL-04: one explanation per decline, then nothing: the limited mode is not re-asked.
  const declined = async (surface: 'first_launch' | 'privacy_center') => {
    await consent.decline(surface);
    if (surface === 'first_launch') await stack.show({ kind: 'declined', exit: exitOnDecline() });
    return consent.state.value.decision;
  };

  const basic = async (surface: 'first_launch' | 'privacy_center') => {
    if ((await stack.show({ kind: 'first' })) === 'disagree') return declined(surface);
    await consent.agree(surface);
    return consent.state.value.decision;
  };

  // MN-01: under the guardian age the guardian decides, and the child's information gets its
  // separate consent (PIPL 31; CHILD Art. 9).
  const guardian = async (years: number) => {
    if ((await stack.show({ kind: 'guardian', years })) === 'disagree') return declined('first_launch');
    await consent.agree();
    for (const separate of consent.policy.separateConsents) {
      if (separate.trigger === 'minor_under_14') await consent.grant(separate.id, 'first_launch');
    }
    return consent.state.value.decision;
  };

  const firstLaunch = async (): Promise<BasicDecision> => {
    await consent.ready;
    const { decision, needsConsent } = consent.state.value;
    if (!needsConsent) {
      // CH-01: a change that re-asked nothing is still told, once (METHOD 二.2).
      const notice = consent.policyNotice;
      if (notice && notice !== noticeShown) {
        noticeShown = notice;
        await stack.show({ kind: 'notice' });
      }
      return decision;
    }
    if (decision === 'agreed') {
      // CH-01: a material change re-asks only what changed.
      const chosen = await stack.show({ kind: 'change' });
      await (chosen ? consent.agreeChanges(chosen) : consent.declineChanges());
      return consent.state.value.decision;
    }
    const { minors } = consent.policy;
    if (minors.ageGate) {
      const years = minors.guardianConsentBelow ?? minors.childAgeBelow;
      if ((await stack.show({ kind: 'age', years })) === 'child') return guardian(years);
    }
    return basic('first_launch');
  };

  const askSeparate = async (consentId: string): Promise<boolean> => {
    await consent.ready;
    if (consent.isGranted(consentId)) return true;
    const answer = await stack.show({ kind: 'separate', id: consentId });
    // A refusal is recorded (receipts prove refusals too); closing the dialog is no answer.
    if (answer !== 'dismiss') await (answer === 'agree' ? consent.grant(consentId) : consent.withdraw(consentId, 'separate_dialog'));
    return consent.isGranted(consentId);
  };
  // Programmer errors throw at the call, before anything is shown.
  const separate = (consentId: string): Promise<boolean> => {
    if (!consent.policy.separateConsents.some((entry) => entry.id === consentId)) {
      throw invalid(`"${consentId}" is not a separate consent of policy "${consent.policy.policy.id}"`);
    }
    return askSeparate(consentId);
  };

  return {
    firstLaunch() {
      firstLaunchRun ??= firstLaunch().finally(() => (firstLaunchRun = undefined));
      return firstLaunchRun;
    },
    reviewAgree: () => basic('privacy_center'),
    separate,

    // The instance's requestPermission decides when to ask and records the answer (PP-05);
    // the prompt only shows one permission and returns the choice.
    rationale: (permission, context) =>
      stack.show({ kind: 'permission', id: permission.id, feature: context.feature.id, settings: context.action === 'open_settings' }),

    async switchPurpose(purposeId, on) {
      if (on) {
        // A purpose resting on separate consents is on only with them (SC-01), so ask them first.
        for (const entry of consent.policy.separateConsents) {
          if (entry.purposeId === purposeId && !(await separate(entry.id))) return consent.isGranted(purposeId);
        }
      }
      await consent.setPurpose(purposeId, on);
      return consent.isGranted(purposeId);
    },

    async switchSeparate(consentId, on) {
      if (on) return separate(consentId);
      await consent.withdraw(consentId);
      return consent.isGranted(consentId);
    },
  };
}
