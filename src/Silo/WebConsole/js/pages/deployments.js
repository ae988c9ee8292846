// Every service: stable version, active rollout, strategy, weight, last verdict; live.
import { get, seg } from '../api.js';
import { h, fill, table, badge } from '../dom.js';
import { subscribe, shown } from '../feed.js';

let firstPaintMarked = false;

export async function renderDeployments(main) {
  const body = h('div', { id: 'deployments' });
  fill(main, h('h1', {}, 'Deployments'), body);
  const rows = new Map();
  const readAll = async () => {
    const list = await get('/api/deployments');
    const statuses = await Promise.all(list.map((d) => get(`/api/deployments/${seg(d.service)}`)));
    rows.clear();
    for (const s of statuses) rows.set(s.deployment.service, s);
    draw(body, rows);
  };
  await readAll();
  if (!firstPaintMarked) {
    firstPaintMarked = true;
    performance.mark('aviary:deployments-rendered');
  }

  // A change to a service: read its state again (the message carries a summary only).
  const pending = new Map();
  return subscribe(async (m) => {
    // The feed could not resume (the silo restarted, or too much was missed): read everything again.
    if (m.kind === 'feed' && m.type === 'reset') return readAll();
    if (m.kind !== 'rollout' || !m.service || m.type === 'snapshot') return;
    pending.set(m.service, m.id);
    const status = await get(`/api/deployments/${seg(m.service)}`).catch(() => null);
    if (!status || !document.body.contains(body)) return;
    rows.set(m.service, status);
    draw(body, rows);
    shown(pending.get(m.service));
  });
}

function draw(body, rows) {
  const items = [...rows.values()].sort((a, b) => a.deployment.service.localeCompare(b.deployment.service));
  fill(body, table('Services and their rollouts',
    ['Service', 'Stable', 'Rollout', 'Strategy', 'Status', 'Canary weight', 'Last verdict'],
    items.map(({ deployment: d, rollout: r }) => {
      const active = r && d.activeRolloutId === r.rolloutId;
      const number = r ? r.rolloutId.split('/').pop() : null;
      const verdict = r?.verdicts?.at(-1);
      return [
        h('a', { href: `#/services/${seg(d.service)}` }, d.service),
        d.stableVersion,
        r ? h('a', { href: `#/rollouts/${seg(d.service)}/${number}` }, `${r.version} (#${number})${active ? '' : ' · last'}`) : '—',
        r ? r.policy.strategy : '—',
        // A deploy waiting in the release queue (aviary queue says why) shows before the last rollout.
        d.queued && !active ? [badge('queued'), ` ${d.queued.version}`] : r ? badge(r.status) : badge('stable'),
        active ? h('span', { class: 'weight', 'data-weight': r.weight }, meter(r.weight)) : '—',
        verdict ? h('span', { title: verdict.reason }, badge(verdict.result), ' ', verdict.reason) : '—',
      ];
    }),
    (i) => ({ 'data-service': items[i].deployment.service, 'data-status': items[i].rollout?.status ?? 'stable', 'data-weight': items[i].rollout?.weight ?? 0 })));
}

function meter(weight) {
  return [h('meter', { min: 0, max: 100, value: weight, 'aria-label': `canary weight ${weight} %` }), ` ${weight} %`];
}
