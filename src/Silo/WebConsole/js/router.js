// Hash routes (fixed: other parts of Aviary link to them): #/deployments, #/services,
// #/services/{service}, #/rollouts/{service}/{number}, #/workflows, #/workflows/{run},
// #/deadletters, #/agents, #/audit, #/approve/{token}.

const routes = [];

/** Adds a route: a pattern such as '/rollouts/:service/:number' and a page's render(main, params). */
export function route(pattern, render) {
  const names = [];
  const regex = new RegExp('^' + pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return '([^/]+)'; }) + '$');
  routes.push({ regex, names, render });
}

let cleanup = () => {};

export function startRouter(main, fallback) {
  const go = async () => {
    cleanup();
    cleanup = () => {};
    const path = location.hash.replace(/^#/, '') || fallback;
    for (const { regex, names, render } of routes) {
      const m = regex.exec(path);
      if (!m) continue;
      const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      markNav(path);
      main.replaceChildren();
      const result = await render(main, params);
      if (typeof result === 'function') cleanup = result;
      return;
    }
    location.hash = '#' + fallback;
  };
  window.addEventListener('hashchange', go);
  go();
}

function markNav(path) {
  for (const a of document.querySelectorAll('#nav a')) {
    const target = a.getAttribute('href').slice(1);
    if (path === target || path.startsWith(target + '/') || (target === '/deployments' && path.startsWith('/rollouts/'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
