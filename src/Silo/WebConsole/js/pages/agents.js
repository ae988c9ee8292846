// Agent pools: workers, queue, breaker; live from the feed's agent messages.
import { get } from '../api.js';
import { h, fill, table, badge, seconds, duration } from '../dom.js';
import { subscribe } from '../feed.js';

export async function renderAgents(main) {
  const body = h('div', { id: 'agents' });
  fill(main, h('h1', {}, 'Agent pools'), body);
  const pools = new Map((await get('/api/agents')).map((p) => [p.agent, p]));
  const draw = () => fill(body, table('Workers, queue and circuit breaker by agent', ['Agent', 'Workers', 'Busy', 'Queued', 'Breaker', 'Succeeded', 'Failed', 'Cache hits', 'CPU'],
    [...pools.values()].map((p) => [p.agent, `${p.workers} (${p.minWorkers}–${p.maxWorkers})`, String(p.busy), String(p.queued), badge(p.breaker),
      String(p.succeeded), String(p.failed), String(p.cacheHits), duration(seconds(p.use.cpu))])));
  draw();
  return subscribe((m) => {
    if (m.kind !== 'agent' || !m.data?.agent) return;
    pools.set(m.data.agent, m.data);
    draw();
  });
}
