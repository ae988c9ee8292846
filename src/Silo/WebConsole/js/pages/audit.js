// The audit log (admins): who changed what, when, and how it ended.
import { get } from '../api.js';
import { h, fill, table, badge, when } from '../dom.js';
import { can } from '../session.js';

export async function renderAudit(main) {
  if (!can('admin')) {
    fill(main, h('h1', {}, 'Audit log'), h('p', { class: 'muted' }, 'The audit log needs the admin role.'));
    return;
  }
  const service = h('input', { id: 'audit-service', name: 'service', placeholder: 'any service', size: 16 });
  const body = h('div', { id: 'audit' });
  const form = h('form', { class: 'filters' }, h('label', { for: 'audit-service' }, 'Service '), service, h('button', { type: 'submit', class: 'secondary' }, 'Show'));
  const draw = async () => {
    const query = service.value.trim() ? `?service=${encodeURIComponent(service.value.trim())}` : '';
    const entries = await get(`/api/audit${query}`);
    fill(body, table('Changes asked of the API, newest first', ['At', 'Caller', 'Change', 'Outcome', 'Reason'],
      entries.map((e) => [when(e.at), e.caller, `${e.method} ${e.target}`, h('span', {}, badge(e.outcome), ` ${e.status}`), e.reason ?? ''])));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); draw().catch((err) => fill(body, err.message)); });
  fill(main, h('h1', {}, 'Audit log'), form, body);
  await draw();
}
