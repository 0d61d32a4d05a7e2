import { h, render, errorBox } from './dom.js';
import { get, session } from './api.js';

/** The API key prompt: the key is checked against the API before it is kept for this tab. */
export function signInView(view, onSignedIn) {
  const input = h('input', { type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', required: true,
    placeholder: 'eb_…', size: 60 });
  const message = h('div');
  const form = h('form', {
    class: 'card', onsubmit: async (event) => {
      event.preventDefault();
      session.signIn(input.value.trim());
      try {
        await get('/tenants?limit=1');
        onSignedIn();
      } catch (error) {
        session.signOut();
        render(message, errorBox(error.status === 401 ? new Error('That key was not accepted.') : error));
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', {}, 'Paste your MSP account API key. It stays in this browser tab only and is sent with each request.'),
  h('label', { for: 'api-key' }, 'API key'), input,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')),
  message);
  render(view, form);
  input.focus();
}
