// One rollout, live: stage bar, weights, bake time left, next check, requests per version, error
// rate and p95 of canary vs stable over time, verdicts with their figures and reasons, transitions.
import { get, seg } from '../api.js';
import { h, fill, table, badge, when, seconds, duration, pct, ms } from '../dom.js';
import { subscribe, shown } from '../feed.js';
import { versusChart } from '../charts.js';
import { actionBar } from '../actions.js';

export async function renderRollout(main, { service, number }) {
  const path = `/api/deployments/${seg(service)}/rollouts/${seg(number)}`;
  let view = await get(path);
  const head = h('div', { id: 'rollout-head' });
  const facts = h('div', { id: 'rollout-facts', class: 'facts' });
  const actions = h('div', { id: 'rollout-actions' });
  const requests = h('div', { id: 'requests' });
  const errorChart = h('div', { class: 'chart', id: 'chart-errors' });
  const p95Chart = h('div', { class: 'chart', id: 'chart-p95' });
  const verdicts = h('div', { id: 'verdicts' });
  const transitions = h('div', { id: 'transitions' });
  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/deployments' }, 'Deployments'), ' / ', h('a', { href: `#/services/${seg(service)}` }, service)),
    head, facts, actions,
    h('section', { class: 'grid2', 'aria-label': 'Canary against stable' },
      h('div', {}, h('h2', {}, 'Error rate'), errorChart),
      h('div', {}, h('h2', {}, 'p95 latency'), p95Chart)),
    h('section', {}, h('h2', {}, 'Requests per version (last window)'), requests),
    h('section', {}, h('h2', {}, 'Verdicts'), verdicts),
    h('section', {}, h('h2', {}, 'Transitions'), transitions));

  const errors = versusChart(errorChart, { title: 'Error rate', unit: '%', floor: 0.05, format: (v) => `${(v * 100).toFixed(1)}%` });
  const p95 = versusChart(p95Chart, { title: 'p95', unit: 'ms', floor: 10, format: (v) => `${v.toFixed(0)} ms` });
  // The checks so far seed the charts; live aggregates follow.
  for (const v of view.verdicts) {
    const t = Date.parse(v.at) / 1000;
    errors.push(t, v.canary?.errorRate ?? null, v.stable?.errorRate ?? null);
    p95.push(t, v.canary?.p95Ms ?? null, v.stable?.p95Ms ?? null);
  }

  let offset = 0;
  const draw = () => {
    offset = Date.now() - Date.parse(view.now);
    drawHead(head, view);
    drawFacts(facts, view, offset);
    const active = !['succeeded', 'rolledBack', 'aborted'].includes(view.status);
    // Under the two-person rule the rollout leaves its first stage only once enough others approved.
    const approving = active && view.policy.requiredApprovals > 0 && view.stageIndex === 0 && view.approvals.length < view.policy.requiredApprovals;
    const verbs = active ? [...(approving ? ['approve'] : []), 'promote', 'promote-full', view.status === 'paused' ? 'resume' : 'pause', 'abort', 'undo'] : ['undo'];
    // Redrawn only when the verbs change, so a change arriving does not take the keyboard focus away.
    if (actions.dataset.verbs !== verbs.join()) {
      actions.dataset.verbs = verbs.join();
      fill(actions, actionBar(service, verbs, () => refresh()));
    }
    fill(verdicts, verdictTable(view));
    fill(transitions, table('What happened, newest first', ['At', 'Transition', 'Stage', 'Status', 'Message'],
      [...view.transitions].reverse().map((t) => [when(t.at), t.kind, String(t.stageIndex + 1), badge(t.status), t.message])));
  };
  const refresh = async (eventId) => {
    view = await get(path);
    if (!document.body.contains(head)) return;
    draw();
    if (eventId) shown(eventId);
  };
  draw();
  const ticker = setInterval(() => drawFacts(facts, view, offset), 1000);

  const unsubscribe = subscribe((m) => {
    if (m.service !== service) return;
    if (m.kind === 'rollout' && m.id && (m.data?.rolloutId === view.rolloutId || m.type === 'started')) refresh(m.id);
    if (m.kind === 'metrics' && m.type === 'aggregate') {
      // A version with no requests in the window has no rate or latency: a gap, not a zero.
      const seen = (version) => m.data.versions.find((v) => v.version === version && v.count > 0);
      const canary = seen(view.version);
      const stable = view.stableVersion !== view.version ? seen(view.stableVersion) : undefined;
      const t = Date.parse(m.at) / 1000;
      errors.push(t, canary?.errorRate ?? null, stable?.errorRate ?? null);
      p95.push(t, canary?.p95Ms ?? null, stable?.p95Ms ?? null);
      fill(requests, table(`Over the last ${m.data.windowSeconds} s`, ['Version', 'Role', 'Requests', 'Errors', 'Error rate', 'p50', 'p95', 'p99'],
        m.data.versions.map((v) => [v.version, v.role, String(v.count), String(v.errors), pct(v.errorRate), ms(v.p50Ms), ms(v.p95Ms), ms(v.p99Ms)])));
    }
  });
  return () => {
    unsubscribe();
    clearInterval(ticker);
    errors.destroy();
    p95.destroy();
  };
}

function drawHead(head, view) {
  const stages = view.policy.stages;
  fill(head,
    h('h1', {}, `${view.service} → ${view.version} `, h('span', { id: 'rollout-status', 'data-status': view.status }, badge(view.status))),
    h('p', { class: 'muted' }, `Rollout ${view.rolloutId} · ${view.policy.strategy} from ${view.stableVersion} · started ${when(view.createdAt)}`),
    h('ol', { class: 'stages', 'aria-label': 'Stages' }, stages.map((weight, i) => h('li', {
      class: i < view.stageIndex || view.status === 'succeeded' ? 'done' : i === view.stageIndex ? 'current' : '',
      'aria-current': i === view.stageIndex ? 'step' : undefined,
    }, `${weight} %`))));
}

function drawFacts(facts, view, offset) {
  const final = ['succeeded', 'rolledBack', 'aborted'].includes(view.status);
  const elapsed = (Date.now() - offset - Date.parse(view.now)) / 1000;
  const bakeLeft = final || view.status === 'paused' ? null : Math.max(0, seconds(view.bakeRemaining) - elapsed);
  const nextCheck = view.nextCheckAt && !final ? Math.max(0, (Date.parse(view.nextCheckAt) + offset - Date.now()) / 1000) : null;
  const fact = (label, value, id) => h('div', {}, h('dt', {}, label), h('dd', id ? { id } : {}, value));
  fill(facts, h('dl', {},
    fact('Canary weight', `${view.weight} %`, 'rollout-weight'),
    fact('Stable weight', `${100 - view.weight} %`),
    fact('Bake time left', bakeLeft === null ? '—' : duration(bakeLeft)),
    fact('Next check', nextCheck === null ? '—' : `in ${duration(nextCheck)}`),
    fact('Failures in a row', String(view.consecutiveFailures)),
    view.pauseReason ? fact('Paused because', view.pauseReason, 'pause-reason') : null));
}

function verdictTable(view) {
  const figures = (s) => (s ? `${s.count} req · ${pct(s.errorRate)} err · p95 ${ms(s.p95Ms)}` : '—');
  return table('The judge\'s verdicts, newest first', ['At', 'Stage', 'Verdict', 'Canary', 'Stable', 'Reasoning'],
    [...view.verdicts].reverse().map((v) => [when(v.at), String(v.stageIndex + 1), badge(v.result), figures(v.canary), figures(v.stable), v.reason]));
}
