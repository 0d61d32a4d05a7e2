import { h, render, errorBox, jobBanner } from './dom.js';
import { post, apiPath } from './api.js';
import { pointInTime } from './pointintime.js';

/**
 * The dashboard's Download of a whole tenant: its latest backup, the directory as it was at a date and time, or as a
 * chosen backup run left it (the API's asOf and runId, picked as on the tenant and object pages). Starting it shows a
 * banner linking to the job.
 */
export function downloadDialog(tenant, message) {
  const when = pointInTime('download', tenant.id);
  const problem = h('div', { class: 'download-problem' });
  const dialog = h('dialog', { class: 'card download-dialog', 'aria-labelledby': 'download-title' },
    h('form', { method: 'dialog', onsubmit: (event) => start(event) },
      h('h2', { id: 'download-title' }, `Download ${tenant.displayName}`),
      h('p', {}, 'A ZIP of every object of the tenant, built in the background; System Status shows when it is ready.'),
      h('p', {}, when.element),
      problem,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'start-download' }, 'Start download'),
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'))));

  async function start(event) {
    event.preventDefault();
    try {
      const body = { scope: 'tenant', ...when.value() };
      const job = await post(apiPath`/tenants/${tenant.id}/downloads`, body);
      dialog.close();
      render(message, jobBanner(`Download of ${tenant.displayName}${when.describe()} is being built.`,
        'download', job.id));
    } catch (error) {
      render(problem, errorBox(error));
    }
  }

  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}
