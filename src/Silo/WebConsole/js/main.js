// Boot: find the session (or ask for a key), open the live feed, then route.
import { whenUnauthorized } from './api.js';
import * as feed from './feed.js';
import { route, startRouter } from './router.js';
import { current, session, signOut } from './session.js';
import { renderLogin } from './pages/login.js';
import { renderDeployments } from './pages/deployments.js';
import { renderServices, renderService } from './pages/services.js';
import { renderRollout } from './pages/rollout.js';
import { renderWorkflows } from './pages/workflows.js';
import { renderWorkflow } from './pages/workflow.js';
import { renderDeadLetters } from './pages/deadletters.js';
import { renderAgents } from './pages/agents.js';
import { renderAudit } from './pages/audit.js';
import { renderApprove } from './pages/approve.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const whoami = document.getElementById('whoami');
const logout = document.getElementById('logout');
let started = false;

route('/deployments', renderDeployments);
route('/services', renderServices);
route('/services/:service', renderService);
route('/rollouts/:service/:number', renderRollout);
route('/workflows', renderWorkflows);
route('/workflows/:run', renderWorkflow);
route('/deadletters', renderDeadLetters);
route('/agents', renderAgents);
route('/audit', renderAudit);
route('/approve/:token', renderApprove);

function showLogin() {
  feed.stop();
  document.body.classList.add('signed-out');
  renderLogin(main, enter);
}

function enter() {
  document.body.classList.remove('signed-out');
  whoami.textContent = `${session.name} · ${session.role}`;
  logout.hidden = !session.authEnabled;
  feed.start(live);
  if (started) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    return;
  }
  started = true;
  startRouter(main, '/deployments');
}

logout.addEventListener('click', async () => {
  await signOut().catch(() => {});
  whoami.textContent = '';
  showLogin();
});

whenUnauthorized(showLogin);

(async () => {
  try {
    if (await current()) enter();
    // An approval link may be opened by someone who has not signed in: its page asks the API itself.
    else if (location.hash.startsWith('#/approve/')) { started = true; startRouter(main, '/deployments'); }
    else showLogin();
  } catch (err) {
    main.textContent = `The silo did not answer: ${err.message}`;
  }
})();
