import { effect } from '@preact/signals-core';
import { Component, type FunctionComponent } from 'preact';
import { AgeGate, Guardian } from './age-gate.js';
import { Declined, FirstLaunch } from './first-launch.js';
import { PermissionPrompt } from './permission-prompt.js';
import { PolicyChange } from './policy-change.js';
import { PolicyNotice } from './policy-notice.js';
import { PolicySummary } from './policy-summary.js';
import { PrivacyCenter } from './privacy-center.js';
import { SeparateConsent } from './separate-consent.js';
import type { Kind, Open, WidgetContext } from './types.js';
import type { ViewStack } from './view-stack.js';

type SurfaceProps = { ctx: WidgetContext; open: Open; top: boolean };

const SURFACES: Record<Kind, FunctionComponent<SurfaceProps>> = {
  first: FirstLaunch,
  declined: Declined,
  summary: PolicySummary,
  center: PrivacyCenter,
  separate: SeparateConsent,
  permission: PermissionPrompt,
  change: PolicyChange,
  notice: PolicyNotice,
  age: AgeGate,
  guardian: Guardian,
} as Record<Kind, FunctionComponent<never>> as Record<Kind, FunctionComponent<SurfaceProps>>;

/**
 * Renders the open surfaces, re-rendering when they or the consent state change. A class with
 * one signals-core effect rather than @preact/signals and hooks: // size: the script-tag build
 * already carries signals-core for the instance, and the adapter plus hooks would add ~2 kB gz.
 */
export class Root extends Component<{ ctx: WidgetContext; stack: ViewStack }> {
  private _stop: (() => void) | undefined;

  override componentDidMount(): void {
    const { ctx, stack } = this.props;
    this._stop = effect(() => {
      void stack.views.value;
      void ctx.consent.state.value;
      this.setState({});
    });
  }

  override componentWillUnmount(): void {
    this._stop?.();
  }

  override render({ ctx, stack }: { ctx: WidgetContext; stack: ViewStack }) {
    const views = stack.views.peek();
    return (
      <div class="root" lang={ctx.locale}>
        {views.map((open, index) => {
          const Surface = SURFACES[open.kind];
          return <Surface key={open.key} ctx={ctx} open={open} top={index === views.length - 1} />;
        })}
      </div>
    );
  }
}
