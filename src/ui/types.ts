import type { BasicDecision } from '../core/decision-types.js';
import type { ConsentInstance } from '../host/instance.js';
import type { ConsentOptions } from '../host/options.js';
import type { Flows } from './flows.js';
import type { Strings } from './strings.js';

/** How the widget looks and speaks. */
export interface WidgetOptions {
  /** `auto` (default) follows prefers-color-scheme and prefers-contrast. */
  readonly theme?: 'auto' | 'light' | 'dark' | 'high-contrast' | undefined;
  /** UI language: `zh-CN` (default) or `en`; without it, `<html lang>` decides. */
  readonly locale?: string | undefined;
  /** Overrides for any UI string, in the chosen language. */
  readonly strings?: Partial<Strings> | undefined;
  /**
   * A CSP nonce for the `<style>` fallback, used where constructable stylesheets are missing
   * (WebViews older than Chrome 73 / iOS 16.4) or when `styleElement` is true.
   */
  readonly styleNonce?: string | undefined;
  /** Force the `<style nonce>` fallback instead of adopted stylesheets. */
  readonly styleElement?: boolean | undefined;
  /** Where the widget's host element goes; `document.body` by default. */
  readonly container?: Element | undefined;
}

/** Options of the UI `createConsent`: the headless options plus the widget's. */
export interface UiConsentOptions extends ConsentOptions, Omit<WidgetOptions, 'locale'> {}

export type FirstLaunchOutcome = BasicDecision;

/**
 * A consent instance with its widget. Every surface is opened by one call; the permission
 * rationale prompt opens from `requestPermission` (PP-02).
 */
export interface ConsentUi extends ConsentInstance {
  /**
   * Shows what the person has to decide now: the age gate (when the policy asks), the
   * first-launch dialog, or the policy-change dialog. Resolves with the basic decision once
   * the dialogs close; resolves at once when nothing needs deciding.
   */
  showFirstLaunch(): Promise<FirstLaunchOutcome>;
  /** Opens the policy summary; resolves when it is closed. */
  showPolicySummary(): Promise<void>;
  /** Opens the privacy center; resolves when it is closed. */
  openPrivacyCenter(): Promise<void>;
  /**
   * Asks a separate consent (SC-01 … SC-04) unless it is already granted. Resolves true when
   * granted. A refusal is recorded; closing the dialog records nothing.
   * @throws ConsentError `invalid-action` when the policy declares no such separate consent.
   */
  requestSeparateConsent(consentId: string): Promise<boolean>;
}

/** What each surface resolves with. */
export interface Results {
  first: 'agree' | 'disagree';
  declined: void;
  summary: void;
  center: void;
  separate: 'agree' | 'disagree' | 'dismiss';
  permission: 'continue' | 'not_now';
  change: readonly string[] | false;
  notice: void;
  age: 'adult' | 'child';
  guardian: 'agree' | 'disagree';
}

interface ViewData {
  first: { readonly fromCenter?: boolean };
  declined: { readonly exit: boolean };
  summary: object;
  center: object;
  separate: { readonly id: string };
  permission: { readonly id: string; readonly feature: string; readonly settings: boolean };
  change: object;
  notice: object;
  age: { readonly years: number };
  guardian: { readonly years: number };
}

export type Kind = keyof Results;
/** A surface request, before it is open. */
export type View<K extends Kind = Kind> = { [P in K]: ViewData[P] & { readonly kind: P } }[K];
/** An open surface: the view, a stable key and the function that closes it with its result. */
export type Open<K extends Kind = Kind> = { [P in K]: View<P> & { readonly key: number; done(result: Results[P]): void } }[K];

/** What every surface component gets. */
export interface WidgetContext {
  readonly consent: ConsentUi;
  readonly strings: Strings;
  readonly locale: 'zh-CN' | 'en';
  readonly flows: Flows;
}
