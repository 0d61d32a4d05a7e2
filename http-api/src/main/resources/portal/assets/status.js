import { h, render, when, badge, table, refreshWhileShown, copyId } from './dom.js';
import { get, post, session, apiPath } from './api.js';
import { progressCell, durationCell, count } from './job-progress.js';

const KINDS = [['backup', 'Backup'], ['download', 'Download'], ['restore', 'Restore'], ['retention', 'Retention']];
const STATES = ['queued', 'running', 'completed', 'completed_with_skipped_items', 'failed', 'awaiting_approval',
  'rejected', 'expired'];
const FILTERS = ['tenant', 'state', 'from', 'to'];
const REFRESH_MILLIS = 3000;
/** Tenants offered in the tenant filter's suggestions (the filter itself takes any tenant of the account). */
const TENANT_PAGES = 10;

/**
 * System Status: every job of the account, one tab per kind, newest first, refreshed while shown; narrowed by tenant
 * (chosen by name), state and time, the filters kept in the address so a filtered view can be shared or reloaded.
 */
export async function statusView(view, kind, params, onLeave) {
  const highlighted = params.get('job');
  const filter = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? '']));
  // Restores whose skipped items are shown: the one a banner linked to, and those the operator opened.
  const opened = new Set(highlighted ? [highlighted] : []);
  const list = h('div', { id: 'jobs' }, h('p', { class: 'empty' }, 'Loading…'));
  const tenants = await tenantNames();
  let pages = 1;
  let reload = () => {};
  const changed = () => {
    pages = 1;
    keepInAddress(kind, highlighted, filter);
    reload();
  };
  render(view, h('h1', {}, 'System Status'),
    h('nav', { class: 'tabs', 'aria-label': 'Job kinds' }, KINDS.map(([name, label]) =>
      h('a', { href: `#/status/${name}`, class: name === kind ? 'active' : '',
        'aria-current': name === kind ? 'page' : undefined }, label))),
    filterForm(filter, tenants, changed),
    list);

  reload = await refreshWhileShown(list, {
    fetch: () => jobPages(kind, pages, filter, opened),
    draw: ({ items, next, skipped }, again) => [
      table(['Job', 'Tenant', 'State', 'Started', 'Duration', 'Progress', 'Result'],
        items.map((job) => jobRow(job, job.id === highlighted, skipped[job.id], opened, again)),
        anyFilter(filter) ? `No ${kind} jobs match these filters.` : `No ${kind} jobs yet.`),
      next ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary',
        onclick: () => { pages++; again(); } }, 'More')) : null],
    millis: REFRESH_MILLIS,
    onLeave,
  });
}

function anyFilter(filter) {
  return FILTERS.some((name) => filter[name]);
}

/** The filters in the address, without a reload (replaceState fires no hashchange). */
function keepInAddress(kind, highlighted, filter) {
  const query = new URLSearchParams();
  if (highlighted) query.set('job', highlighted);
  FILTERS.forEach((name) => { if (filter[name]) query.set(name, filter[name]); });
  const text = query.toString();
  history.replaceState(null, '', `#/status/${kind}${text ? `?${text}` : ''}`);
}

/** The account's tenants by id, for names in the filter (a failure leaves the filter without suggestions). */
async function tenantNames() {
  const names = new Map();
  try {
    let cursor = null;
    for (let i = 0; i < TENANT_PAGES; i++) {
      const page = await get('/tenants?limit=100' + (cursor ? apiPath`&cursor=${cursor}` : ''));
      (page.items ?? page.tenants ?? []).forEach((tenant) => names.set(tenant.id, tenant.displayName));
      cursor = page.next ?? null;
      if (!cursor) break;
    }
  } catch {
    // The list of jobs does not depend on it.
  }
  return names;
}

/** Tenant by name (typed, with suggestions), state and a date range; each change lists again at once. */
function filterForm(filter, tenants, changed) {
  const byName = new Map([...tenants].map(([id, name]) => [name, id]));
  const tenant = h('input', { id: 'filter-tenant', type: 'search', list: 'filter-tenant-names', autocomplete: 'off',
    placeholder: 'All tenants', value: tenants.get(filter.tenant) ?? filter.tenant });
  const hint = h('span', { class: 'sub', id: 'filter-tenant-hint', role: 'status' });
  const applyTenant = () => {
    const text = tenant.value.trim();
    const id = byName.get(text) ?? (tenants.has(text) ? text : null);
    hint.textContent = text && !id ? `No tenant named ${text}` : '';
    if ((text && !id) || (id ?? '') === filter.tenant) return;
    filter.tenant = id ?? '';
    changed();
  };
  tenant.addEventListener('change', applyTenant);
  // Enter applies too (with several fields the form has no implicit submission).
  tenant.addEventListener('keydown', (event) => { if (event.key === 'Enter') applyTenant(); });
  const state = h('select', { id: 'filter-state' },
    h('option', { value: '' }, 'All states'),
    STATES.map((name) => h('option', { value: name, selected: name === filter.state }, name.replaceAll('_', ' '))));
  state.addEventListener('change', () => { filter.state = state.value; changed(); });
  const date = (name) => {
    const input = h('input', { id: `filter-${name}`, type: 'date', value: filter[name] });
    input.addEventListener('change', () => { filter[name] = input.value; changed(); });
    return input;
  };
  return h('form', { class: 'inline job-filters', role: 'search', 'aria-label': 'Filter jobs',
    onsubmit: (event) => { event.preventDefault(); applyTenant(); } },
    h('label', { for: 'filter-tenant' }, 'Tenant'), tenant,
    h('datalist', { id: 'filter-tenant-names' }, [...tenants.values()].map((name) => h('option', { value: name }))),
    h('label', { for: 'filter-state' }, 'State'), state,
    h('label', { for: 'filter-from' }, 'From'), date('from'),
    h('label', { for: 'filter-to' }, 'To'), date('to'),
    hint);
}

/**
 * The first `pages` pages of one kind's jobs matching the filters, the cursor of the page after them, and the skipped
 * items of the opened restores (fetched once: a finished restore's list never changes).
 */
async function jobPages(kind, pages, filter, opened) {
  const items = [];
  let next = null;
  const query = FILTERS.filter((name) => filter[name]).map((name) => apiPath`&${name}=${filter[name]}`).join('');
  for (let i = 0; i < pages; i++) {
    const page = await get(apiPath`/jobs?kind=${kind}&limit=25` + query + (next ? apiPath`&cursor=${next}` : ''));
    items.push(...page.items);
    next = page.next ?? null;
    if (!next) break;
  }
  const skipped = {};
  for (const job of items) {
    if (opened.has(job.id) && hasSkippedItems(job)) skipped[job.id] = await skippedList(job.id);
  }
  return { items, next, skipped };
}

const skippedCache = new Map();

async function skippedList(jobId) {
  if (!skippedCache.has(jobId)) {
    const page = await get(apiPath`/jobs/${jobId}/skipped-items`);
    skippedCache.set(jobId, page.items ?? []);
  }
  return skippedCache.get(jobId);
}

function hasSkippedItems(job) {
  return job.kind === 'restore' && job.state === 'completed_with_skipped_items';
}

function jobRow(job, highlighted, skipped, opened, reload) {
  return h('tr', { class: highlighted ? 'highlight' : '', dataset: { job: job.id },
    'aria-current': highlighted ? 'true' : undefined },
    h('td', {}, h('div', { class: 'job-what' }, whatItDoes(job)),
      job.trigger ? h('div', { class: 'sub' }, job.trigger) : null, copyId('job', job.id)),
    h('td', {}, tenantCell(job)),
    h('td', {}, badge(job.state)),
    h('td', {}, when(job.startedAt ?? job.queuedAt)),
    h('td', {}, durationCell(job)),
    h('td', { class: 'progress-cell' }, progressCell(job)),
    h('td', {}, result(job, skipped, opened, reload)));
}

/** What the job does, in words. */
function whatItDoes(job) {
  if (job.kind === 'backup') {
    const types = job.summary?.typesTotal;
    return types ? `Backup of ${types} object types` : 'Backup';
  }
  if (job.kind === 'download') {
    const d = job.download;
    if (!d) return 'Download';
    const asOf = d.runId ? ' as of a backup run' : d.asOf ? ` as of ${when(d.asOf)}` : '';
    if (d.scope === 'object') return `Download of one ${d.type ?? ''} object${d.versionId ? ' (one version)' : ''}${asOf}`;
    if (d.scope === 'type') return `Download of all ${d.type ?? 'objects of a type'}${asOf}`;
    return `Download of the whole tenant${asOf}`;
  }
  if (job.kind === 'retention') return 'Pruning of versions past the retention period';
  const r = job.restore;
  return r ? `Restore of one ${r.objectType} object${r.action ? ` (${r.action})` : ''}` : 'Restore';
}

function tenantCell(job) {
  const name = job.tenantName;
  return [name
    ? h('a', { href: `#/tenants/${encodeURIComponent(job.tenantId)}` }, name)
    : h('a', { href: `#/tenants/${encodeURIComponent(job.tenantId)}`, class: 'sub' }, 'Unnamed tenant'),
  h('div', {}, copyId('tenant', job.tenantId))];
}

function result(job, skipped, opened, reload) {
  const parts = [];
  if (job.kind === 'backup' && job.counts && ['completed', 'failed'].includes(job.state)) {
    const c = job.counts;
    parts.push(h('div', {}, `${count(c.created)} new, ${count(c.changed)} changed, ${count(c.removed)} removed,`
      + ` ${count(c.unchanged)} unchanged`));
  }
  if (job.kind === 'retention' && job.progress?.objectsExamined !== undefined) {
    const p = job.progress;
    parts.push(h('div', {}, `${count(p.objectsExamined)} objects examined, ${count(p.versionsPruned)} versions pruned,`
      + ` ${count(p.stateBytesPruned)} bytes of state`));
  }
  if (job.graph?.requests) {
    parts.push(h('div', { class: 'sub' }, `${count(job.graph.requests)} Graph requests, ${job.graph.throttled} throttled`));
  }
  if (job.restore) parts.push(...restoreResult(job));
  if (job.approval) parts.push(...approval(job));
  if (job.download) parts.push(...downloadResult(job));
  if (hasSkippedItems(job)) parts.push(skippedItemsPart(job, skipped, opened, reload));
  if (job.error) parts.push(h('div', { class: 'error' }, job.error));
  return parts.length ? parts : '—';
}

/** The ZIP's link while it is valid; once it lapsed, plainly "expired". */
function downloadResult(job) {
  const d = job.download;
  const parts = [];
  if (d.link) {
    parts.push(h('a', { href: d.link, class: 'button', download: '' }, 'Download ZIP'));
    if (d.expiresAt) parts.push(h('div', { class: 'sub' }, `Link valid until ${when(d.expiresAt)}`));
  } else if (d.linkExpired || (job.state === 'completed' && d.fileName)) {
    parts.push(h('div', { class: 'link-expired' }, 'Link expired', d.expiresAt ? ` on ${when(d.expiresAt)}` : ''));
  }
  if (d.fileName) parts.push(h('div', { class: 'sub' }, d.fileName));
  return parts;
}

function restoreResult(job) {
  const r = job.restore;
  const parts = [h('div', { class: 'sub' }, `${r.changes} changes, ${r.skipped} skipped, by key ${r.requestedBy}`)];
  parts.push(h('div', {}, 'Object ', copyId(`${r.objectType} object`, r.objectId)));
  if (r.newObjectId) parts.push(h('div', {}, 'Recreated with a new id ', copyId('new object', r.newObjectId)));
  const finished = job.state === 'completed' || job.state === 'completed_with_skipped_items';
  if (finished && r.action === 'recreate' && r.objectType === 'users') {
    parts.push(h('button', { type: 'button', class: 'secondary', onclick: (event) => showPassword(job.id, event.target) },
      'Show temporary password (once)'));
  }
  return parts;
}

/** A restore's skipped items: the table with reasons (opened on demand), and the CSV and JSON downloads. */
function skippedItemsPart(job, skipped, opened, reload) {
  const shown = opened.has(job.id);
  const toggle = h('button', { type: 'button', class: 'secondary', 'aria-expanded': shown ? 'true' : 'false',
    onclick: () => {
      if (shown) opened.delete(job.id); else opened.add(job.id);
      reload();
    } }, shown ? 'Hide skipped items' : `Show skipped items (${job.restore?.skipped ?? ''})`.replace(' ()', ''));
  const downloads = h('div', { class: 'actions' }, toggle,
    h('button', { type: 'button', class: 'secondary', onclick: () => skippedItems(job.id, 'csv') },
      'Skipped items (CSV)'),
    h('button', { type: 'button', class: 'secondary', onclick: () => skippedItems(job.id, 'json') },
      'Skipped items (JSON)'));
  if (!shown || !skipped) return downloads;
  return h('div', { class: 'skipped-items' }, downloads,
    table(['Item', 'Reason', 'Why', 'Graph code'], skipped.map((item) => h('tr', {},
      h('td', { class: 'mono' }, item.item),
      h('td', {}, badge(item.reason)),
      h('td', {}, item.message),
      h('td', {}, item.graphCode ?? '—'))), 'No skipped items.'));
}

/** What the server answered to an Approve or Reject, by job id, shown again when the list is redrawn. */
const decisions = new Map();

/**
 * Four-eyes: who asked for the job and why it waits, who decided; while it waits, Approve and Reject for a second
 * key of the account (the API refuses the requesting key, and says so).
 */
function approval(job) {
  const a = job.approval;
  const said = decisions.get(job.id);
  const parts = [h('div', { class: 'sub' }, `Asked for by key ${a.requestedBy}: ${a.reason}`)];
  if (job.state !== 'awaiting_approval') decisions.delete(job.id);
  if (a.decision) {
    parts.push(h('div', { class: 'sub' }, a.decidedBy
      ? `${a.decision} by key ${a.decidedBy} ${when(a.decidedAt)}`
      : `${a.decision} ${when(a.decidedAt)}, unapproved`));
  }
  if (job.state === 'awaiting_approval') {
    parts.push(h('div', { class: 'sub' }, `Waits for approval until ${when(a.expiresAt)}`));
    const outcome = h('div', { class: 'approval-outcome' }, said ?? null);
    // The list is redrawn every few seconds: what the server answered is kept until the job moves on.
    const show = (element) => {
      decisions.set(job.id, element);
      outcome.replaceChildren(element);
    };
    const decide = (verb) => async (event) => {
      event.target.disabled = true;
      try {
        const decided = await post(apiPath`/jobs/${job.id}/${verb}`);
        show(h('div', { class: 'notice' }, `${decided.decision}: the job is ${decided.state}`));
      } catch (error) {
        event.target.disabled = false;
        show(h('div', { class: 'error', role: 'alert' }, error?.message ?? String(error)));
      }
    };
    parts.push(h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'approve', onclick: decide('approve') }, 'Approve'),
      h('button', { type: 'button', class: 'secondary reject', onclick: decide('reject') }, 'Reject')), outcome);
  }
  return parts;
}

/** A recreated user's temporary password is handed out once, on the first read of the job: show it, then never. */
async function showPassword(jobId, button) {
  const job = await get(apiPath`/jobs/${jobId}`);
  const password = job.restore?.temporaryPassword;
  button.replaceWith(password
    ? h('div', { class: 'notice' }, 'Temporary password (shown this once; the user must change it at next sign-in): ',
      h('span', { class: 'mono', id: 'temporary-password' }, password))
    : h('div', { class: 'sub' }, 'The temporary password was already shown; reset it in Entra if it is lost.'));
}

/** The skipped items need the API key, so they are fetched and handed to the browser as a file. */
async function skippedItems(jobId, format) {
  const response = await fetch('/api/v1' + apiPath`/jobs/${jobId}/skipped-items?format=${format}`, {
    headers: { Authorization: `Bearer ${session.key()}`, Accept: format === 'csv' ? 'text/csv' : 'application/json' },
  });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `skipped-items-${jobId}.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
