import { Child, button, h, uid } from './dom';

/**
 * Modal dialogs on the native <dialog> (showModal: the page behind is inert, Esc closes it, screen readers
 * announce it by its title). On top of what the browser does: Tab and Shift+Tab cycle inside the dialog, and
 * closing returns focus to whatever had it before (the button that opened it).
 */
export interface Modal {
  dialog: HTMLDialogElement;
  close(): void;
}

export interface ModalOptions {
  title: string;
  body: Child[];
  footer: Child[];
  /** 'panel' slides in from the side (the Integrations panel); default: a centred dialog. */
  variant?: 'panel' | 'alert';
  /** What gets focus first (default: the first focusable control in the body). */
  focus?: HTMLElement;
  onClose?: () => void;
}

const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

export function openModal(o: ModalOptions): Modal {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = uid('dialog-title');
  const dialog = h(
    'dialog',
    { class: `modal ${o.variant ?? ''}`, 'aria-labelledby': titleId, ...(o.variant === 'alert' ? { role: 'alertdialog' } : {}) },
    h('div', { class: 'modal-head' }, h('h2', { id: titleId }, o.title)),
    h('div', { class: 'modal-body' }, o.body),
    h('div', { class: 'modal-foot' }, o.footer),
  );
  dialog.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    // Focus first, then onClose: a re-render in onClose can then tell what had focus and give it back.
    // A re-render while the dialog was open (a refresh after the previous dialog) replaces the opener: the
    // button with the same text takes its place, so focus still goes back where the user was.
    const twin = opener && [...document.querySelectorAll<HTMLElement>('main button')].find((b) => b.textContent === opener.textContent);
    const target = opener?.isConnected ? opener : (twin ?? document.querySelector<HTMLElement>('main h1'));
    target?.focus();
    o.onClose?.();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  (o.focus ?? dialog.querySelector<HTMLElement>(`.modal-body ${FOCUSABLE}`) ?? dialog.querySelector<HTMLElement>(FOCUSABLE))?.focus();
  return { dialog, close: () => dialog.close() };
}

/** Ask before something that cannot be undone. Resolves true only on the confirming button; focus starts on Cancel. */
export function confirmAction(title: string, message: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    let confirmed = false;
    const cancel = button('Cancel', () => modal.close());
    const modal = openModal({
      title,
      variant: 'alert',
      body: [h('p', null, message)],
      footer: [
        button(confirmLabel, () => {
          confirmed = true;
          modal.close();
        }, { class: 'danger' }),
        cancel,
      ],
      focus: cancel,
      onClose: () => resolve(confirmed),
    });
  });
}
