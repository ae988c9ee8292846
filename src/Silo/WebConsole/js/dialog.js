// A modal dialog (the native <dialog>: focus stays inside, Escape closes it) that asks the
// operator for a reason before an action.
import { h } from './dom.js';

/**
 * Asks for a reason; resolves to the text, or null when cancelled.
 * options: { title, detail, confirm, needsReason (default true) }
 */
export function askReason({ title, detail, confirm, needsReason = true }) {
  return new Promise((resolve) => {
    const input = needsReason ? h('textarea', { id: 'reason', name: 'reason', rows: 3, maxlength: 500, required: true, placeholder: 'Why? (kept in the audit log)' }) : null;
    const error = h('p', { class: 'error', role: 'alert' });
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const ok = h('button', { type: 'submit', class: 'primary' }, confirm);
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title),
      detail ? h('p', {}, detail) : null,
      input ? h('label', { for: 'reason' }, 'Reason') : null,
      input, error,
      h('div', { class: 'actions' }, cancel, ok));
    const dialog = h('dialog', { class: 'modal', 'aria-label': title }, form);
    let answer = null;
    const previous = document.activeElement;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (e) => {
      const text = input ? input.value.trim() : '';
      if (input && text.length === 0) {
        e.preventDefault();
        error.textContent = 'Give a reason.';
        input.focus();
        return;
      }
      answer = text;
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      previous?.focus?.();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    (input ?? ok).focus();
  });
}
