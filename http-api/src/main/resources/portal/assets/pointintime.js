// "As of" for downloads: now, a date and time, or a completed backup run of the tenant (the download API's asOf/runId).
import { h, when } from './dom.js';
import { get, apiPath } from './api.js';

const RUNS_TO_OFFER = 100;

/**
 * A point-in-time picker with ids prefixed by `idPrefix`. Answers { element, value() }: value() is {} for "latest
 * backup", { asOf } for a date or { runId } for a backup run, ready to merge into a download request; it throws an
 * Error with the operator's words when the chosen date is missing.
 */
export function pointInTime(idPrefix, tenantId) {
  const mode = h('select', { id: `${idPrefix}-when` },
    h('option', { value: 'latest' }, 'Latest backup'),
    h('option', { value: 'date' }, 'As of a date'),
    h('option', { value: 'run' }, 'As of a backup run'));
  const date = h('input', { type: 'datetime-local', id: `${idPrefix}-as-of`, hidden: true, step: 1,
    'aria-label': 'Date and time to download as of (your time zone)' });
  const run = h('select', { id: `${idPrefix}-run`, hidden: true, 'aria-label': 'Backup run to download as of' },
    h('option', { value: '' }, 'Loading backup runs…'));
  let runsLoaded = false;
  mode.addEventListener('change', () => {
    date.hidden = mode.value !== 'date';
    run.hidden = mode.value !== 'run';
    if (mode.value === 'run' && !runsLoaded) {
      runsLoaded = true;
      completedRuns(tenantId).then((runs) => {
        run.replaceChildren(...(runs.length === 0
          ? [h('option', { value: '' }, 'No completed backup yet')]
          : runs.map((job) => h('option', { value: job.id },
            `${when(job.finishedAt)} · ${job.trigger ?? 'backup'}`))));
      }, () => run.replaceChildren(h('option', { value: '' }, 'Backup runs could not be read')));
    }
  });
  const element = h('span', { class: 'point-in-time' },
    h('label', { for: mode.id }, 'Point in time'), mode, date, run);
  return {
    element,
    value() {
      if (mode.value === 'date') {
        if (!date.value) throw new Error('Choose the date and time to download as of.');
        return { asOf: new Date(date.value).toISOString() };
      }
      if (mode.value === 'run') {
        if (!run.value) throw new Error('Choose a completed backup run.');
        return { runId: run.value };
      }
      return {};
    },
    describe() {
      if (mode.value === 'date' && date.value) return ` as of ${when(new Date(date.value).toISOString())}`;
      if (mode.value === 'run' && run.value) return ` as of the backup of ${run.selectedOptions[0]?.textContent ?? ''}`;
      return '';
    },
  };
}

/** The tenant's completed backups, newest first (among its latest backup jobs). */
async function completedRuns(tenantId) {
  const page = await get(apiPath`/jobs?kind=backup&state=completed,completed_with_skipped_items&limit=${RUNS_TO_OFFER}`
    + apiPath`&tenant=${tenantId}`);
  return page.items ?? [];
}
