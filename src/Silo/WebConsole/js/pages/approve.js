// A one-time approval link: what the token approves, and an Approve button.
import { get, post, seg } from '../api.js';
import { h, fill } from '../dom.js';

export async function renderApprove(main, { token }) {
  const path = `/api/approvals/${seg(token)}`;
  let approval;
  try {
    approval = await get(path);
  } catch (err) {
    fill(main, h('h1', {}, 'Approval'), h('p', { class: 'error', id: 'approval-missing' },
      err.status === 404 ? 'This approval link is not known or has expired.' : `The silo refused: ${err.message}`));
    return;
  }
  const result = h('p', { role: 'status', id: 'approval-result' });
  const button = h('button', { type: 'button', class: 'primary', id: 'approve' }, 'Approve');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await post(path);
      result.textContent = 'Approved.';
    } catch (err) {
      result.textContent = err.status === 404 ? 'This approval link is not known or has expired.' : `Refused: ${err.message}`;
      button.disabled = false;
    }
  });
  fill(main, h('h1', {}, 'Approval'),
    h('dl', { class: 'kv card' }, Object.entries(approval).map(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '—'))])),
    button, result);
}
