// Gateway services and their versions; one service with its releases.
import { get, seg } from '../api.js';
import { h, fill, table, badge, when } from '../dom.js';
import { subscribe } from '../feed.js';
import { actionBar } from '../actions.js';

export async function renderServices(main) {
  const services = await get('/api/services');
  fill(main, h('h1', {}, 'Gateway services'), table('What the gateway routes, by service', ['Service', 'Hosts', 'Path prefix', 'Stable', 'Canary', 'Weight', 'Versions', 'Split'],
    services.map((s) => [
      h('a', { href: `#/services/${seg(s.service)}` }, s.service),
      s.routing.hosts.join(', ') || '—',
      s.routing.pathPrefix || '—',
      s.stableVersion,
      s.canaryVersion ?? '—',
      s.canaryVersion ? `${s.canaryWeight} %` : '—',
      s.versions.map((v) => `${v.version}${v.destinations.length ? ` (${v.destinations.join(', ')})` : ''}`).join('; '),
      s.split.length ? s.split.map((x) => `${x.version} ${x.weight} %`).join(', ') : '—',
    ])));
}

export async function renderService(main, { service }) {
  const body = h('div');
  fill(main, h('p', { class: 'crumbs' }, h('a', { href: '#/deployments' }, 'Deployments'), ' / ', service), body);
  const draw = async () => {
    const { deployment: d, rollout: r } = await get(`/api/deployments/${seg(service)}`);
    if (!document.body.contains(body)) return;
    fill(body,
      h('h1', {}, service),
      h('p', {}, `Stable ${d.stableVersion}`, d.previousStableVersion ? ` (before: ${d.previousStableVersion})` : '',
        r && d.activeRolloutId ? [' · active rollout ', h('a', { href: `#/rollouts/${seg(service)}/${r.rolloutId.split('/').pop()}` }, `${r.version} at ${r.weight} %`)] : ''),
      actionBar(service, ['undo'], draw),
      h('h2', {}, 'Releases'),
      table('Versions this service has had', ['Version', 'Rollout', 'Outcome', 'Started', 'Ended'],
        [...d.releases].reverse().map((x) => [x.version,
          x.rolloutId ? h('a', { href: `#/rollouts/${seg(service)}/${x.rolloutId.split('/').pop()}` }, x.rolloutId) : '—',
          badge(x.outcome), when(x.startedAt), when(x.endedAt)])),
      h('h2', {}, 'Versions and destinations'),
      table('Where each version runs', ['Version', 'Destinations'], d.targets.map((t) => [t.version, t.destinations.join(', ') || '—'])));
  };
  await draw();
  return subscribe((m) => {
    if (m.kind === 'rollout' && m.service === service && m.id) draw();
  });
}
