// The object page: its current name, type and state, its snapshots on a timeline, downloads, restore and Compare.
import { h, render, when, badge, errorBox, jobBanner, copyId } from './dom.js';
import { get, post, apiPath } from './api.js';
import { pointInTime } from './pointintime.js';
import { showComparison } from './compare.js';

/** The object types in the operator's words, one object of each (the API's names stay in URLs). */
export const TYPE_NAMES = {
  users: 'users',
  groups: 'groups',
  directoryRoles: 'directory roles',
  roleDefinitions: 'role definitions',
  roleAssignments: 'role assignments',
};
const ONE_OF_TYPE = {
  users: 'User',
  groups: 'Group',
  directoryRoles: 'Directory role',
  roleDefinitions: 'Role definition',
  roleAssignments: 'Role assignment',
};
const REMOVED = { changed: 'soft_deleted', deleted: 'deleted' };

/** One object: named by its latest snapshot, its snapshots newest first, and what can be done with each. */
export async function objectView(view, tenantId, type, objectId) {
  const base = apiPath`/tenants/${tenantId}/objects/${type}/${objectId}`;
  const header = h('div', { id: 'object-header' }, h('h1', {}, 'Loading…'));
  const message = h('div', { id: 'message' });
  const timeline = h('div', { id: 'versions' }, h('p', { class: 'empty' }, 'Loading…'));
  const tools = h('div', { id: 'object-tools' });
  const detail = h('div', { id: 'detail' });
  render(view, h('p', {}, h('a', { href: `#/tenants/${encodeURIComponent(tenantId)}?type=${encodeURIComponent(type)}` },
    `← All ${TYPE_NAMES[type] ?? type}`)), header, message, timeline, tools, detail);
  let versions;
  try {
    versions = (await get(base + '/versions')).items;
  } catch (error) {
    render(header, h('h1', {}, ONE_OF_TYPE[type] ?? type), errorBox(error));
    render(timeline);
    return;
  }
  const latest = versions[0];
  const state = await get(base + apiPath`/versions/${latest.versionId}`).catch(() => ({}));
  render(header, identity(type, objectId, state, latest));

  const page = { base, tenantId, type, objectId, versions, message, detail };
  render(timeline, h('h2', { id: 'timeline-heading' }, 'Snapshots'),
    h('ol', { class: 'timeline', id: 'timeline', 'aria-labelledby': 'timeline-heading' },
      versions.map((version, index) => snapshotItem(page, version, index))));
  render(tools, downloadForm(page), compareForm(page));
}

/** Title: the current display name; second line the UPN or mail; then the type, whether deleted, the id on demand. */
function identity(type, objectId, state, latest) {
  const kind = ONE_OF_TYPE[type] ?? type;
  const name = state.displayName || state.userPrincipalName || `Unnamed ${kind.toLowerCase()}`;
  const second = state.userPrincipalName && state.userPrincipalName !== name ? state.userPrincipalName : state.mail;
  const removed = latest.removed && REMOVED[latest.removed];
  return [
    h('h1', { id: 'object-name' }, name),
    second ? h('p', { class: 'sub second-line', id: 'object-second' }, second) : null,
    h('p', { class: 'object-facts' }, h('span', { class: 'badge', id: 'object-type' }, kind), ' ',
      removed ? badge(removed) : h('span', { class: 'badge badge-authorized', id: 'object-state' }, 'in the directory'),
      ' ', copyId(name, objectId)),
  ];
}

function snapshotItem(page, version, index) {
  const removed = version.removed && REMOVED[version.removed];
  return h('li', { class: `snapshot${removed ? ' removed' : ''}`, 'data-version': version.versionId },
    h('span', { class: 'moment' }, h('time', { datetime: version.capturedAt }, when(version.capturedAt)),
      index === 0 ? h('span', { class: 'sub' }, ' · latest') : null),
    h('span', { class: 'what' }, removed ? [badge(removed), ' '] : null,
      version.runId ? ['Backup run ', copyId('backup run', version.runId)] : null),
    h('span', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => showVersion(page, version) }, 'View'),
      removed ? null : h('button', { type: 'button', class: 'secondary', onclick: () => plan(page, version) },
        'Plan restore'),
      h('button', { type: 'button', class: 'secondary', 'aria-label': `Download the snapshot of ${when(
        version.capturedAt)}`, onclick: () => download(page, { versionId: version.versionId },
        `the snapshot of ${when(version.capturedAt)}`) }, 'Download')));
}

/** All versions in one ZIP, or the one as of a point in time (the latest backup's by default). */
function downloadForm(page) {
  const moment = pointInTime('object-download', page.tenantId);
  return h('div', { class: 'card object-downloads' }, h('h2', {}, 'Download'),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'download-all-versions',
      onclick: () => download(page, {}, `all ${page.versions.length} snapshots`) }, 'Download all versions')),
    h('form', {
      class: 'inline', 'aria-label': 'Download one snapshot', onsubmit: (event) => {
        event.preventDefault();
        let chosen;
        try {
          chosen = moment.value();
        } catch (error) {
          render(page.message, errorBox(error));
          return;
        }
        const body = Object.keys(chosen).length === 0 ? { versionId: page.versions[0].versionId } : chosen;
        download(page, body, `the snapshot${moment.describe() || ' of the latest backup'}`);
      },
    }, moment.element,
    h('button', { type: 'submit', class: 'secondary', id: 'download-one' }, 'Download one snapshot')));
}

function compareForm(page) {
  const option = (version) => h('option', { value: version.versionId }, `Snapshot of ${when(version.capturedAt)}`);
  const from = h('select', { id: 'compare-from' }, page.versions.map(option));
  const live = page.type !== 'roleDefinitions';
  const to = h('select', { id: 'compare-to' },
    live ? h('option', { value: 'live' }, 'Live object (now)') : null, page.versions.map(option));
  // Default: what changed in the latest backup, or (with one snapshot) the snapshot against the directory now.
  from.selectedIndex = page.versions.length > 1 ? 1 : 0;
  to.value = page.versions.length > 1 ? page.versions[0].versionId : (live ? 'live' : page.versions[0].versionId);
  return h('form', {
    class: 'inline card compare-form', id: 'compare', 'aria-label': 'Compare', onsubmit: (event) => {
      event.preventDefault();
      showComparison(page.detail, page.base, from.value, to.value);
    },
  }, h('h2', {}, 'Compare'), h('label', { for: from.id }, 'Left'), from, h('label', { for: to.id }, 'Right'), to,
  h('button', { type: 'submit', id: 'compare-button' }, 'Compare'));
}

async function showVersion(page, version) {
  try {
    const json = await get(page.base + apiPath`/versions/${version.versionId}`);
    render(page.detail, h('h2', {}, `Snapshot of ${when(version.capturedAt)}`),
      h('pre', { class: 'json' }, JSON.stringify(json, null, 2)));
  } catch (error) {
    render(page.detail, errorBox(error));
  }
}

async function plan(page, version) {
  try {
    const result = await post(page.base + '/restore-plans', { version: version.versionId });
    render(page.detail, h('h2', {}, `Restore to ${when(version.capturedAt)}: plan`),
      h('pre', { class: 'json', id: 'restore-plan' }, JSON.stringify(result, null, 2)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'restore', onclick: () => restore(page, version) }, 'Restore')));
  } catch (error) {
    render(page.detail, errorBox(error));
  }
}

async function restore(page, version) {
  try {
    const job = await post(page.base + '/restores', { version: version.versionId });
    render(page.message, jobBanner(`Restore to the snapshot of ${when(version.capturedAt)} started.`, 'restore',
      job.id));
  } catch (error) {
    render(page.message, errorBox(error));
  }
}

async function download(page, choice, what) {
  try {
    const job = await post(apiPath`/tenants/${page.tenantId}/downloads`,
      { scope: 'object', type: page.type, objectId: page.objectId, ...choice });
    render(page.message, jobBanner(`Download of ${what} is being built.`, 'download', job.id));
  } catch (error) {
    render(page.message, errorBox(error));
  }
}
