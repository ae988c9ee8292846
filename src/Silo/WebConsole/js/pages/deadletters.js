// Dead letters: inspect, retry, purge.
import { get, post, del, seg } from '../api.js';
import { h, fill, table, when, toast } from '../dom.js';
import { askReason } from '../dialog.js';
import { can, gate } from '../session.js';

export async function renderDeadLetters(main) {
  const body = h('div', { id: 'deadletters' });
  const detail = h('div', { id: 'deadletter-detail', 'aria-live': 'polite' });
  fill(main, h('h1', {}, 'Dead letters'), body, detail);
  const act = async (title, confirm, role, call) => {
    if (!can(role)) return;
    if (await askReason({ title, confirm, needsReason: false }) === null) return;
    try {
      const result = await call();
      toast(`${confirm}: ${JSON.stringify(result)}`);
    } catch (err) {
      toast(`${confirm} refused: ${err.message}`, true);
    }
    draw();
  };
  const draw = async () => {
    const letters = await get('/api/deadletters');
    fill(body,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', ...gate('operator', 'Retry all'), onclick: () => act('Retry every dead letter?', 'Retry all', 'operator', () => post('/api/deadletters/retry')) }, 'Retry all'),
        h('button', { type: 'button', class: 'danger', ...gate('admin', 'Purge'), onclick: () => act('Purge every dead letter? They cannot be retried after.', 'Purge', 'admin', () => del('/api/deadletters')) }, 'Purge')),
      table('Tasks that failed their last attempt', ['Task', 'Agent', 'Attempts', 'Error', 'At', ''],
        letters.map((d) => [
          h('a', { href: `#/workflows/${seg(d.runId)}` }, `${d.runId} / ${d.taskId}`),
          d.agent, String(d.attempts), `${d.errorKind}: ${d.error}`, when(d.at),
          h('span', { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', onclick: () => inspect(d.key) }, 'Inspect'),
            h('button', { type: 'button', class: 'primary', ...gate('operator', 'Retry'), onclick: () => act(`Retry ${d.key}?`, 'Retry', 'operator', () => post(`/api/deadletters/${seg(d.key)}/retry`)) }, 'Retry')),
        ])));
  };
  const inspect = async (key) => {
    const d = await get(`/api/deadletters/${seg(key)}`);
    fill(detail, h('section', { class: 'card' }, h('h2', {}, d.key),
      h('dl', { class: 'kv' }, Object.entries(d).map(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '—'))]))));
    detail.querySelector('h2').setAttribute('tabindex', '-1');
    detail.querySelector('h2').focus();
  };
  await draw();
}
