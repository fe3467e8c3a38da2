const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]),summary,[tabindex="0"]';

/** The focused element, looking into open shadow roots (ours included). */
export function activeElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

// Controls inside a closed <details> cannot take focus; its own <summary> can.
const reachable = (element: Element) =>
  !(element.tagName === 'SUMMARY' ? element.parentElement?.parentElement : element)?.closest('details:not([open])');

/**
 * Keeps Tab and Shift+Tab inside the dialog (WAI-ARIA dialog pattern: focus is trapped while
 * a modal dialog is open), wrapping from the last control to the first and back.
 */
export function trapTab(event: KeyboardEvent, dialog: HTMLElement): void {
  const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(reachable);
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return void event.preventDefault();
  const current = activeElement();
  const wrapTo = event.shiftKey ? (current === first || current === dialog ? last : null) : current === last ? first : null;
  if (wrapTo || !dialog.contains(current)) {
    event.preventDefault();
    (wrapTo ?? first).focus();
  }
}
