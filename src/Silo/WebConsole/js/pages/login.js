// The sign-in form: an API key (avk_…) in a password field, traded for a session cookie.
import { h, fill } from '../dom.js';
import { signIn } from '../session.js';

export function renderLogin(main, done) {
  const key = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'current-password', required: true, placeholder: 'avk_…', spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'login card' },
    h('h1', {}, 'Sign in to Aviary'),
    h('p', { class: 'muted' }, 'With an API key (aviary keys create, or the admin key the first silo wrote). The page keeps only an HttpOnly session cookie.'),
    h('label', { for: 'key' }, 'API key'), key, error,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await signIn(key.value.trim());
      key.value = '';
      done();
    } catch (err) {
      error.textContent = err.rule ? `${err.field}: ${err.rule}` : err.message;
      key.focus();
    }
  });
  fill(main, form);
  key.focus();
}
