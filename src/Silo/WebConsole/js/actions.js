// The operator's verbs on a service's rollout, each asking for a reason first; a role that may
// not use one sees it disabled, with a tooltip saying why.
import { post, seg } from './api.js';
import { h, toast } from './dom.js';
import { askReason } from './dialog.js';
import { can, gate } from './session.js';

const verbs = {
  promote: { label: 'Promote', path: 'promote', what: 'Go to the next stage now' },
  'promote-full': { label: 'Promote fully', path: 'promote', query: 'full=true', what: 'Send all traffic to the canary now' },
  pause: { label: 'Pause', path: 'pause', what: 'Hold the rollout at its stage' },
  resume: { label: 'Resume', path: 'resume', what: 'Continue the rollout' },
  abort: { label: 'Abort', path: 'abort', what: 'Send all traffic back to stable', danger: true },
  undo: { label: 'Undo', path: 'undo', what: 'Go back to the previous stable version', danger: true },
  approve: { label: 'Approve', path: 'approve', what: 'Approve the rollout leaving its first stage (two-person rule)' },
};

/** Buttons for `names` on `service`; `onDone(result)` after a verb succeeded. */
export function actionBar(service, names, onDone) {
  return h('div', { class: 'actions', role: 'group', 'aria-label': 'Operator actions' },
    names.map((name) => button(service, name, onDone)));
}

function button(service, name, onDone) {
  const verb = verbs[name];
  const allowed = can('operator');
  return h('button', {
    type: 'button',
    class: verb.danger ? 'danger' : 'primary',
    'data-action': name,
    title: allowed ? verb.what : undefined,
    ...gate('operator', verb.label),
    onclick: async () => {
      if (!can('operator')) return;
      const reason = await askReason({ title: `${verb.label} ${service}?`, detail: verb.what + '.', confirm: verb.label });
      if (reason === null) return;
      const query = [verb.query, `reason=${encodeURIComponent(reason)}`].filter(Boolean).join('&');
      try {
        const result = await post(`/api/deployments/${seg(service)}/${verb.path}?${query}`);
        toast(`${verb.label}: done`);
        onDone?.(result);
      } catch (err) {
        toast(`${verb.label} refused: ${err.rule ? `${err.field}: ${err.rule}` : err.message}`, true);
      }
    },
  }, verb.label);
}
