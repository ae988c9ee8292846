// Workflow runs, live.
import { get, seg } from '../api.js';
import { h, fill, table, badge, when } from '../dom.js';
import { subscribe } from '../feed.js';

export async function renderWorkflows(main) {
  const body = h('div', { id: 'workflows' });
  fill(main, h('h1', {}, 'Workflows'), body);
  const draw = async () => {
    const runs = await get('/api/workflows');
    if (!document.body.contains(body)) return;
    fill(body, table('Runs, newest first', ['Run', 'Plan', 'Status', 'Tasks done', 'Started', 'Ended'],
      [...runs].reverse().map((r) => [
        h('a', { href: `#/workflows/${seg(r.runId)}` }, r.runId),
        r.name, badge(r.status),
        `${r.tasks.filter((t) => t.status === 'succeeded').length} / ${r.tasks.length}`,
        when(r.createdAt), when(r.completedAt),
      ])));
  };
  await draw();
  let timer;
  return subscribe((m) => {
    if (m.kind !== 'workflow' || !m.id) return;
    clearTimeout(timer);
    timer = setTimeout(draw, 200); // a burst of task events: one read
  });
}
