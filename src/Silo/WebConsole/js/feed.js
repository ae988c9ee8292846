// The silo's live feed (/api/events, server-sent events) shared by every page: one connection,
// resumed by the browser with Last-Event-ID; pages subscribe to the kinds they show.

const listeners = new Set();
let source;

/**
 * When each change arrived and when a page showed it, for the browser tests' measurements
 * (event → visible). Bounded: the last 200.
 */
export const timings = [];
window.aviaryTimings = timings;

export function start(statusEl) {
  if (source) return;
  source = new EventSource('/api/events', { withCredentials: true });
  const set = (text, cls) => { statusEl.textContent = text; statusEl.className = `live ${cls}`; };
  set('connecting', 'pending');
  source.onopen = () => set('live', 'on');
  source.onerror = () => set(source.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting', 'off');
  for (const kind of ['rollout', 'workflow', 'agent', 'metrics', 'feed']) {
    source.addEventListener(kind, (e) => dispatch(JSON.parse(e.data)));
  }
}

export function stop() {
  source?.close();
  source = undefined;
}

/** Calls handler(message) for each message until the returned function is called. */
export function subscribe(handler) {
  listeners.add(handler);
  return () => listeners.delete(handler);
}

function dispatch(message) {
  if (message.id) {
    timings.push({ id: message.id, kind: message.kind, type: message.type, service: message.service, run: message.run, received: performance.now(), shown: null });
    if (timings.length > 200) timings.shift();
  }
  for (const listener of [...listeners]) {
    try {
      listener(message);
    } catch (err) {
      console.error(err);
    }
  }
}

/** A page says it now shows the change with this id (the test reads shown − received). */
export function shown(id) {
  const entry = timings.find((t) => t.id === id);
  if (entry && entry.shown === null) entry.shown = performance.now();
}
