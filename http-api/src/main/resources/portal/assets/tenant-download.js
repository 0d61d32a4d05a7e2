import { h, render, when, errorBox, jobBanner } from './dom.js';
import { get, post, apiPath } from './api.js';

const RECENT_BACKUPS = 100;
const COMPLETED = new Set(['completed', 'completed_with_skipped_items']);

/**
 * The dashboard's Download of a whole tenant: its latest backup, the directory as it was at a date and time, or as a
 * chosen backup run left it (the API's asOf and runId). Starting it shows a banner linking to the job.
 */
export function downloadDialog(tenant, message) {
  const latest = radio('download-latest', 'latest', true);
  const asOfChoice = radio('download-choose-as-of', 'as-of', false);
  const runChoice = radio('download-choose-run', 'run', false);
  const asOf = h('input', { type: 'datetime-local', id: 'download-as-of', step: 1,
    onfocus: () => { asOfChoice.checked = true; } });
  const run = h('select', { id: 'download-run', onfocus: () => { runChoice.checked = true; } },
    h('option', { value: '' }, 'Loading backup runs…'));
  const problem = h('div', { class: 'download-problem' });
  const dialog = h('dialog', { class: 'card download-dialog', 'aria-labelledby': 'download-title' },
    h('form', { method: 'dialog', onsubmit: (event) => start(event) },
      h('h2', { id: 'download-title' }, `Download ${tenant.displayName}`),
      h('p', {}, 'A ZIP of every object of the tenant, built in the background; System Status shows when it is ready.'),
      h('fieldset', {}, h('legend', {}, 'Point in time'),
        h('label', { class: 'check' }, latest, ' Latest backup'),
        h('label', { class: 'check' }, asOfChoice, ' As of a date and time'),
        h('label', { for: 'download-as-of', class: 'sub point-in-time' }, 'Date and time (your local time)'),
        asOf,
        h('label', { class: 'check' }, runChoice, ' As a backup run left it'),
        h('label', { for: 'download-run', class: 'sub point-in-time' }, 'Backup run'),
        run),
      problem,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'start-download' }, 'Start download'),
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'))));

  async function start(event) {
    event.preventDefault();
    const body = { scope: 'tenant' };
    if (asOfChoice.checked) {
      const instant = new Date(asOf.value);
      if (!asOf.value || Number.isNaN(instant.getTime())) {
        render(problem, errorBox('Choose the date and time to download the tenant as of.'));
        return;
      }
      body.asOf = instant.toISOString();
    } else if (runChoice.checked) {
      if (!run.value) {
        render(problem, errorBox('Choose a completed backup run.'));
        return;
      }
      body.runId = run.value;
    }
    try {
      const job = await post(apiPath`/tenants/${tenant.id}/downloads`, body);
      dialog.close();
      render(message, jobBanner(`Download of ${tenant.displayName}${pointInTime(body)} is being built.`,
        'download', job.id));
    } catch (error) {
      render(problem, errorBox(error));
    }
  }

  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
  fillRuns(tenant, run);
}

function radio(id, value, checked) {
  return h('input', { type: 'radio', name: 'download-point', id, value, checked });
}

function pointInTime(body) {
  if (body.asOf) return ` as of ${when(body.asOf)}`;
  if (body.runId) return ' as its chosen backup run left it';
  return '';
}

/** The tenant's completed backup runs among the account's recent backups (the jobs API lists them newest first). */
async function fillRuns(tenant, select) {
  try {
    const page = await get(apiPath`/jobs?kind=backup&limit=${RECENT_BACKUPS}`);
    const runs = page.items.filter((job) => job.tenantId === tenant.id && COMPLETED.has(job.state));
    render(select, runs.length
      ? runs.map((job) => h('option', { value: job.id }, `Backup finished ${when(job.finishedAt)}`))
      : h('option', { value: '' }, 'No completed backup run among the recent ones'));
  } catch (error) {
    render(select, h('option', { value: '' }, 'Backup runs could not be read'));
  }
}
