import { h, render, when, duration, badge, table, refreshWhileShown } from './dom.js';
import { get, post, session, apiPath } from './api.js';

const KINDS = [['backup', 'Backup'], ['download', 'Download'], ['restore', 'Restore']];
const REFRESH_MILLIS = 3000;

/** System Status: every job of the account, one tab per kind, newest first, refreshed while shown. */
export async function statusView(view, kind, params, onLeave) {
  const highlighted = params.get('job');
  const list = h('div', { id: 'jobs' }, h('p', { class: 'empty' }, 'Loading…'));
  render(view, h('h1', {}, 'System Status'),
    h('nav', { class: 'tabs' }, KINDS.map(([name, label]) =>
      h('a', { href: `#/status/${name}`, class: name === kind ? 'active' : '' }, label))),
    list);

  let pages = 1;
  await refreshWhileShown(list, {
    fetch: () => jobPages(kind, pages),
    draw: ({ items, next }, reload) => [
      table(['Job', 'State', 'Tenant', 'Started', 'Duration', 'Progress', 'Result'],
        items.map((job) => jobRow(job, job.id === highlighted)), `No ${kind} jobs yet.`),
      next ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary',
        onclick: () => { pages++; reload(); } }, 'More')) : null],
    millis: REFRESH_MILLIS,
    onLeave,
  });
}

/** The first `pages` pages of one kind's jobs, and the cursor of the page after them. */
async function jobPages(kind, pages) {
  const items = [];
  let next = null;
  for (let i = 0; i < pages; i++) {
    const page = await get(apiPath`/jobs?kind=${kind}&limit=25` + (next ? apiPath`&cursor=${next}` : ''));
    items.push(...page.items);
    next = page.next ?? null;
    if (!next) break;
  }
  return { items, next };
}

function jobRow(job, highlighted) {
  return h('tr', { class: highlighted ? 'highlight' : '', dataset: { job: job.id } },
    h('td', { class: 'mono sub' }, job.id, job.trigger ? h('div', {}, job.trigger) : null),
    h('td', {}, badge(job.state)),
    h('td', {}, h('a', { href: `#/tenants/${job.tenantId}` }, job.tenantId)),
    h('td', {}, when(job.startedAt ?? job.queuedAt)),
    h('td', {}, duration(job.durationMillis ?? (job.startedAt && !job.finishedAt
      ? Date.now() - new Date(job.startedAt).getTime() : undefined))),
    h('td', { class: 'sub' }, progress(job)),
    h('td', {}, result(job)));
}

function progress(job) {
  const entries = Object.entries(job.progress ?? {});
  if (entries.length === 0) return '—';
  return entries.map(([type, seen]) => `${type} ${seen}`).join(', ');
}

function result(job) {
  const parts = [];
  if (job.counts) {
    const c = job.counts;
    parts.push(h('div', {}, `${c.created} new, ${c.changed} changed, ${c.removed} removed, ${c.unchanged} unchanged`));
  }
  if (job.graph) parts.push(h('div', { class: 'sub' }, `${job.graph.requests} Graph requests, ${job.graph.throttled} throttled`));
  if (job.restore) parts.push(...restoreResult(job));
  if (job.approval) parts.push(...approval(job));
  const link = job.download?.link;
  if (link) parts.push(h('a', { href: link, class: 'button', download: '' }, 'Download ZIP'));
  if (job.kind === 'restore' && job.state === 'completed_with_skipped_items') {
    parts.push(h('button', { type: 'button', class: 'secondary', onclick: () => skippedItems(job.id, 'csv') },
      'Skipped items (CSV)'));
    parts.push(h('button', { type: 'button', class: 'secondary', onclick: () => skippedItems(job.id, 'json') },
      'Skipped items (JSON)'));
  }
  if (job.error) parts.push(h('div', { class: 'error' }, job.error));
  return parts.length ? parts : '—';
}

function restoreResult(job) {
  const r = job.restore;
  const parts = [h('div', {}, `${r.objectType} ${r.objectId}`, r.action ? ` (${r.action})` : '')];
  parts.push(h('div', { class: 'sub' }, `${r.changes} changes, ${r.skipped} skipped, by key ${r.requestedBy}`));
  if (r.newObjectId) parts.push(h('div', {}, 'New id: ', h('span', { class: 'mono' }, r.newObjectId)));
  const finished = job.state === 'completed' || job.state === 'completed_with_skipped_items';
  if (finished && r.action === 'recreate' && r.objectType === 'users') {
    parts.push(h('button', { type: 'button', class: 'secondary', onclick: (event) => showPassword(job.id, event.target) },
      'Show temporary password (once)'));
  }
  return parts;
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
