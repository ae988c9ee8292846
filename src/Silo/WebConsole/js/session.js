// Who is signed in. The console trades an API key for an HttpOnly session cookie once
// (POST /api/session); the key is never stored by the page.
import { api, get } from './api.js';

const ranks = { viewer: 0, operator: 1, admin: 2 };
export const session = { name: '', role: 'viewer', authEnabled: true };

/** The current session, or null when there is none (401). */
export async function current() {
  try {
    Object.assign(session, await get('/api/session'));
    return session;
  } catch (err) {
    if (err.status === 401) return null;
    throw err;
  }
}

export async function signIn(key) {
  Object.assign(session, await api('POST', '/api/session', { key }));
  return session;
}

export const signOut = () => api('DELETE', '/api/session');

/** Whether the signed-in role is at least `role`. */
export const can = (role) => ranks[session.role] >= ranks[role];

/** Attributes for an action button the role may not use: aria-disabled with a tooltip saying why. */
export function gate(role, what) {
  return can(role) ? {} : { 'aria-disabled': 'true', title: `${what} needs the ${role} role; you are signed in as a ${session.role}` };
}
