// A workflow's DAG in SVG: one column per dependency depth, tasks coloured by state, the critical
// path (longest chain by how long succeeded tasks took, else their estimates) marked.
import { seconds } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 150, H = 46, GAP_X = 60, GAP_Y = 18, PAD = 12;

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** Each task's duration in seconds: how long it ran if it succeeded, else its estimate (a failed attempt says nothing of a good one). */
function durations(dag, run) {
  const byId = new Map(run.tasks.map((t) => [t.id, t]));
  return new Map(dag.tasks.map((t) => {
    const r = byId.get(t.id);
    const ran = r?.status === 'succeeded' && r.startedAt && r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : null;
    return [t.id, ran ?? seconds(t.estimate)];
  }));
}

/** The longest path through the DAG by durations: [ids], seconds. */
export function criticalPath(dag, run) {
  const length = durations(dag, run);
  const finish = new Map();
  const via = new Map();
  const byId = new Map(dag.tasks.map((t) => [t.id, t]));
  for (const batch of dag.batches) {
    for (const id of batch) {
      const task = byId.get(id);
      const before = task.dependsOn.reduce((best, d) => (best === null || finish.get(d) > finish.get(best) ? d : best), null);
      via.set(id, before);
      finish.set(id, (before === null ? 0 : finish.get(before)) + length.get(id));
    }
  }
  let last = null;
  for (const [id, f] of finish) if (last === null || f > finish.get(last)) last = id;
  const path = [];
  for (let at = last; at !== null && at !== undefined; at = via.get(at)) path.unshift(at);
  return { path, seconds: last === null ? 0 : finish.get(last) };
}

/** Draws the DAG with its critical path (from criticalPath); onSelect(taskId) when a task is clicked or chosen with Enter/Space. */
export function drawDag(container, dag, run, path, onSelect) {
  const status = new Map(run.tasks.map((t) => [t.id, t.status]));
  const onPath = new Set(path);
  // Each task on the path, and the one before it: an edge is critical when it joins the two.
  const before = new Map(path.slice(1).map((id, i) => [id, path[i]]));
  const pos = new Map();
  dag.batches.forEach((batch, col) => batch.forEach((id, row) => pos.set(id, { x: PAD + col * (W + GAP_X), y: PAD + row * (H + GAP_Y) })));
  const width = PAD * 2 + dag.batches.length * (W + GAP_X) - GAP_X;
  const height = PAD * 2 + Math.max(...dag.batches.map((b) => b.length)) * (H + GAP_Y) - GAP_Y;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': `Tasks of ${run.runId}`, class: 'dag' });
  root.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }))));
  for (const task of dag.tasks) {
    for (const dep of task.dependsOn) {
      const a = pos.get(dep), b = pos.get(task.id);
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mid = (x1 + x2) / 2;
      const critical = before.get(task.id) === dep;
      root.append(svg('path', { d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`, class: critical ? 'edge critical' : 'edge', 'marker-end': 'url(#arrow)' }));
    }
  }
  for (const task of dag.tasks) {
    const p = pos.get(task.id);
    const state = status.get(task.id) ?? 'pending';
    const node = svg('g', {
      class: `node t-${state}${onPath.has(task.id) ? ' critical' : ''}`,
      transform: `translate(${p.x},${p.y})`, tabindex: 0, role: 'button',
      'data-task': task.id, 'data-status': state,
      'aria-label': `Task ${task.id} (${task.agent}): ${state}${onPath.has(task.id) ? ', on the critical path' : ''}`,
    },
    svg('rect', { width: W, height: H, rx: 6 }),
    svg('text', { x: 10, y: 19, class: 'id' }, task.id),
    svg('text', { x: 10, y: 36, class: 'sub' }, `${task.agent} · ${state}`));
    const choose = () => onSelect(task.id);
    node.addEventListener('click', choose);
    node.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); } });
    root.append(node);
  }
  container.replaceChildren(root);
}
