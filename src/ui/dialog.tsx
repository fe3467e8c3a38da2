import { Component, type ComponentChildren } from 'preact';
import { activeElement, trapTab } from './focus.js';

interface DialogProps {
  /** Unique within the widget: the ids of the title and description derive from it. */
  readonly id: string;
  readonly title: ComponentChildren;
  /** The description (aria-describedby): the first thing read after the title. */
  readonly lead: ComponentChildren;
  readonly lang?: string;
  /** Only the top dialog is shown; those under it stay mounted, so focus can return to them. */
  readonly top: boolean;
  /** Esc. Absent where closing would be a decision nobody took (the first-launch dialog). */
  readonly onEscape?: () => void;
  readonly actions: ComponentChildren;
  /** `top` puts a short prompt at the top of the screen (顶栏 style, MIIT 292). */
  readonly place?: 'top';
  readonly children?: ComponentChildren;
}

/**
 * A modal dialog (WAI-ARIA dialog pattern): named by its title, described by its lead, focus
 * moved in on open, trapped while open and returned on close. The actions sit outside the
 * scrolling body so they stay on screen however long the text (FL-03: 同意 and 不同意 both
 * visible without scrolling). Initial focus goes to the dialog itself, not to 同意, so a stray
 * Enter never agrees.
 */
export class Dialog extends Component<DialogProps> {
  private _dialog: HTMLElement | null = null;
  private _returnTo: HTMLElement | null = null;

  override componentDidMount(): void {
    this._returnTo = activeElement();
    this._dialog?.focus();
    document.addEventListener('focusin', this._guard);
  }

  override componentWillUnmount(): void {
    document.removeEventListener('focusin', this._guard);
    if (this._returnTo?.isConnected) this._returnTo.focus();
  }

  // Focus that lands outside the top dialog (a tap on the page behind) is brought back.
  private _guard = (event: FocusEvent) => {
    if (this.props.top && this._dialog && !event.composedPath().includes(this._dialog)) this._dialog.focus();
  };

  private _keyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.props.onEscape?.();
    } else if (event.key === 'Tab' && this._dialog) trapTab(event, this._dialog);
  };

  override render({ id, title, lead, lang, top, actions, place, children }: DialogProps) {
    return (
      <div class={place ? 'scrim at-top' : 'scrim'} hidden={!top} onMouseDown={(event) => event.target === event.currentTarget && event.preventDefault()}>
        <div
          class="dlg"
          role="dialog"
          aria-modal="true"
          aria-labelledby={`${id}-t`}
          aria-describedby={`${id}-d`}
          tabIndex={-1}
          lang={lang}
          onKeyDown={this._keyDown}
          ref={(element) => {
            this._dialog = element;
          }}
        >
          <h2 id={`${id}-t`}>{title}</h2>
          {/* Focusable so a keyboard can scroll a long text (WCAG 2.1.1). */}
          <div class="body" tabIndex={0}>
            <p id={`${id}-d`}>{lead}</p>
            {children}
          </div>
          <div class="acts">{actions}</div>
        </div>
      </div>
    );
  }
}
