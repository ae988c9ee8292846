// One workflow run, live: its DAG with task states, the critical path, and a task's attempts,
// errors and cost.
import { get, seg } from '../api.js';
import { h, fill, badge, when, seconds, duration, bytes } from '../dom.js';
import { subscribe, shown } from '../feed.js';
import { drawDag, criticalPath } from '../dag.js';

export async function renderWorkflow(main, { run }) {
  const base = `/api/workflows/${seg(run)}`;
  const [dag, first] = await Promise.all([get(`${base}/dag`), get(base)]);
  let view = first;
  let selected = null;
  const head = h('div', { id: 'workflow-head' });
  const graph = h('div', { class: 'dag-wrap', id: 'dag' });
  const detail = h('section', { id: 'task-detail', 'aria-live': 'polite' });
  fill(main, h('p', { class: 'crumbs' }, h('a', { href: '#/workflows' }, 'Workflows'), ' / ', run), head, graph,
    h('p', { class: 'legend' }, ['pending', 'ready', 'running', 'retryWaiting', 'succeeded', 'deadLettered', 'blocked', 'cancelled'].map((s) => h('span', { class: `key t-${s}` }, s)),
      h('span', { class: 'key critical' }, 'critical path')),
    detail);

  const draw = () => {
    const critical = criticalPath(dag, view);
    fill(head,
      h('h1', {}, `${view.runId} `, h('span', { id: 'workflow-status', 'data-status': view.status }, badge(view.status))),
      h('p', { class: 'muted' }, `Plan ${view.name} · ${view.tasks.length} tasks · started ${when(view.createdAt)}${view.completedAt ? ` · ended ${when(view.completedAt)}` : ''}`),
      h('p', { id: 'critical-path' }, `Critical path: ${critical.path.join(' → ')} (${duration(critical.seconds)})`),
      h('p', { class: 'muted' }, `Cost so far: ${duration(seconds(view.use.wall))} wall, ${duration(seconds(view.use.cpu))} CPU, ${bytes(view.use.allocatedBytes)} allocated`));
    drawDag(graph, dag, view, critical.path, (id) => { selected = id; drawDetail(); detail.querySelector('h2')?.focus(); });
    drawDetail();
  };
  const drawDetail = () => {
    const t = view.tasks.find((x) => x.id === selected);
    if (!t) return fill(detail);
    const spec = dag.tasks.find((x) => x.id === t.id);
    fill(detail, h('div', { class: 'card' },
      h('h2', { tabindex: -1 }, `Task ${t.id}`),
      h('dl', { class: 'kv' },
        h('dt', {}, 'Agent'), h('dd', {}, spec?.agent ?? '—'),
        h('dt', {}, 'State'), h('dd', {}, badge(t.status)),
        h('dt', {}, 'Attempts'), h('dd', {}, String(t.attempts)),
        h('dt', {}, 'Depends on'), h('dd', {}, spec?.dependsOn.join(', ') || '—'),
        h('dt', {}, 'Started'), h('dd', {}, when(t.startedAt)),
        h('dt', {}, 'Finished'), h('dd', {}, when(t.finishedAt)),
        h('dt', {}, 'Next attempt'), h('dd', {}, when(t.nextAttemptAt)),
        h('dt', {}, 'Error'), h('dd', {}, t.error ? `${t.errorKind}: ${t.error}` : '—'),
        h('dt', {}, 'Cost'), h('dd', {}, `${duration(seconds(t.use.wall))} wall, ${duration(seconds(t.use.cpu))} CPU, ${bytes(t.use.allocatedBytes)} allocated, peak heap ${bytes(t.use.peakHeapBytes)}`),
        h('dt', {}, 'Result'), h('dd', {}, t.resultRef ?? '—')),
      h('h3', {}, 'Attempts seen while this page is open'),
      h('ol', { class: 'events' }, (seen.get(t.id) ?? []).map((e) => h('li', {}, `${when(e.at)} · attempt ${e.attempt} · ${e.kind}: ${e.message}`)))));
  };
  // Each task's events from the feed (started, failed, retry-scheduled, succeeded…), the last 50 each.
  const seen = new Map();
  const note = (events) => {
    for (const e of events ?? []) {
      if (!e.taskId) continue;
      const list = seen.get(e.taskId) ?? [];
      list.push(e);
      if (list.length > 50) list.shift();
      seen.set(e.taskId, list);
    }
  };
  draw();

  // Task events: read the run again (one read at a time; the last event's id is marked shown).
  let reading = null, again = false, lastId = null;
  const refresh = async () => {
    if (reading) { again = true; return; }
    reading = (async () => {
      do {
        again = false;
        const id = lastId;
        view = await get(base);
        if (!document.body.contains(graph)) return;
        draw();
        shown(id);
      } while (again);
    })();
    try { await reading; } finally { reading = null; }
  };
  return subscribe((m) => {
    if (m.kind === 'workflow' && m.run === run && m.id) {
      lastId = m.id;
      note(m.data?.events);
      refresh();
    }
  });
}
