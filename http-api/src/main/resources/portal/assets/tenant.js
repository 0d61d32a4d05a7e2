import { h, render, when, badge, errorBox, table } from './dom.js';
import { get, post, apiPath } from './api.js';

const CONSENT_NOTICES = {
  authorized: 'The tenant admin granted consent: the tenant is authorized.',
  refused: 'The tenant admin declined consent.',
};

/** One tenant: its backed-up object types, and the objects of one type, searchable and paged. */
export async function tenantView(view, tenantId, params) {
  const type = params.get('type') ?? 'users';
  const search = params.get('search') ?? '';
  const header = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const types = h('nav', { class: 'tabs', id: 'types' });
  const objects = h('div', { id: 'objects' });
  const notice = params.get('consent') && CONSENT_NOTICES[params.get('consent')];
  render(view, notice ? h('p', { class: 'notice' }, notice) : null, header, types, objects);
  try {
    const tenant = await get(apiPath`/tenants/${tenantId}`);
    render(header, h('h1', {}, tenant.displayName, ' ', badge(tenant.status)),
      h('p', { class: 'sub' }, [tenant.organizationName, tenant.entraTenantId, (tenant.verifiedDomains ?? []).join(', ')]
        .filter(Boolean).join(' · ')),
      tenant.statusReason ? h('p', { class: 'error' }, tenant.statusReason) : null,
      h('p', {}, 'Last backup: ', tenant.lastBackup ? [badge(tenant.lastBackup.result), ' ',
        when(tenant.lastBackup.finishedAt)] : 'none yet', ' · Next: ', when(tenant.nextBackupAt)));
    const summary = await get(apiPath`/tenants/${tenantId}/objects`);
    render(types, summary.items.map((entry) => h('a', {
      href: `#/tenants/${tenantId}?type=${entry.type}`, class: entry.type === type ? 'active' : '',
    }, `${entry.type} (${entry.count})`)));
    await objectList(objects, tenantId, type, search);
  } catch (error) {
    render(header, errorBox(error));
  }
}

async function objectList(target, tenantId, type, search) {
  const query = h('input', { type: 'search', id: 'search', value: search,
    placeholder: type === 'users' ? 'Display name or UPN starts with…' : 'Display name starts with…' });
  const rows = h('tbody');
  const more = h('div', { class: 'actions' });
  render(target, h('form', {
    class: 'inline', onsubmit: (event) => {
      event.preventDefault();
      window.location.hash = `#/tenants/${tenantId}?type=${type}&search=${encodeURIComponent(query.value)}`;
    },
  }, query, h('button', { type: 'submit' }, 'Search')),
  h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Id', 'Latest snapshot', ''].map((t) => h('th', {}, t)))), rows),
  more);

  async function page(cursor) {
    const params = new URLSearchParams({ limit: '50' });
    if (search) params.set('search', search);
    if (cursor) params.set('cursor', cursor);
    try {
      const result = await get(apiPath`/tenants/${tenantId}/objects/${type}` + `?${params}`);
      rows.append(...result.items.map((item) => h('tr', {},
        h('td', {}, h('a', { href: `#/tenants/${tenantId}/objects/${type}/${encodeURIComponent(item.id)}` },
          item.displayName || item.id)),
        h('td', { class: 'sub mono' }, item.id),
        h('td', {}, when(item.capturedAt)),
        h('td', {}, item.deleted ? badge('deleted') : ''))));
      if (rows.children.length === 0) rows.append(h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No objects.')));
      render(more, result.next ? h('button', { type: 'button', class: 'secondary', onclick: () => page(result.next) },
        'More') : null);
    } catch (error) {
      render(more, errorBox(error));
    }
  }
  await page(null);
}

/** One object: its snapshots over time, any one as stored, the difference between two, restore and download. */
export async function objectView(view, tenantId, type, objectId) {
  const base = apiPath`/tenants/${tenantId}/objects/${type}/${objectId}`;
  const detail = h('div', { id: 'detail' });
  const message = h('div', { id: 'message' });
  render(view, h('p', {}, h('a', { href: `#/tenants/${tenantId}?type=${type}` }, `← ${type}`)),
    h('h1', {}, objectId), message, h('div', { id: 'versions' }, h('p', { class: 'empty' }, 'Loading…')), detail);
  let versions;
  try {
    versions = (await get(base + '/versions')).items;
  } catch (error) {
    render(view.querySelector('#versions'), errorBox(error));
    return;
  }
  const from = h('select', { id: 'diff-from' }, versions.map((v) => h('option', { value: v.versionId }, when(v.capturedAt))));
  const to = h('select', { id: 'diff-to' }, versions.map((v) => h('option', { value: v.versionId }, when(v.capturedAt))));
  if (versions.length > 1) from.selectedIndex = 1;
  render(view.querySelector('#versions'),
    table(['Captured', 'Backup run', 'State', ''], versions.map((version) => h('tr', {},
      h('td', {}, when(version.capturedAt)),
      h('td', { class: 'sub mono' }, version.runId),
      h('td', {}, version.removed ? badge(version.removed === 'changed' ? 'soft_deleted' : 'deleted') : 'live'),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => showVersion(version) }, 'View'),
        h('button', { type: 'button', class: 'secondary', onclick: () => plan(version) }, 'Plan restore'),
        h('button', { type: 'button', class: 'secondary', onclick: () => downloadObject(version) }, 'Download')))),
    'No versions.'),
    versions.length > 1 ? h('form', {
      class: 'inline', onsubmit: (event) => { event.preventDefault(); diff(from.value, to.value); },
    }, h('label', {}, 'Compare '), from, h('label', {}, ' with '), to, h('button', { type: 'submit' }, 'Diff')) : null);

  async function showVersion(version) {
    try {
      const json = await get(base + apiPath`/versions/${version.versionId}`);
      render(detail, h('h2', {}, `Snapshot of ${when(version.capturedAt)}`),
        h('pre', { class: 'json' }, JSON.stringify(json, null, 2)));
    } catch (error) {
      render(detail, errorBox(error));
    }
  }

  async function diff(fromId, toId) {
    try {
      const result = await get(base + apiPath`/diff?from=${fromId}&to=${toId}`);
      const rows = [
        ...Object.entries(result.added ?? {}).map(([k, v]) => diffRow('added', k, '', v)),
        ...Object.entries(result.removed ?? {}).map(([k, v]) => diffRow('removed', k, v, '')),
        ...Object.entries(result.changed ?? {}).map(([k, c]) => diffRow('changed', k, c.from, c.to)),
        ...Object.entries(result.references ?? {}).flatMap(([relation, refs]) => [
          ...(refs.added ?? []).map((ref) => diffRow('added', relation, '', ref.id)),
          ...(refs.removed ?? []).map((ref) => diffRow('removed', relation, ref.id, '')),
        ]),
      ];
      render(detail, h('h2', {}, 'Differences'), table(['', 'Property', 'Before', 'After'], rows, 'No differences.'));
    } catch (error) {
      render(detail, errorBox(error));
    }
  }

  async function plan(version) {
    try {
      const result = await post(base + '/restore-plans', { version: version.versionId });
      render(detail, h('h2', {}, `Restore to ${when(version.capturedAt)}: plan`),
        h('pre', { class: 'json', id: 'restore-plan' }, JSON.stringify(result, null, 2)),
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'restore', onclick: () => restore(version) },
          'Restore')));
    } catch (error) {
      render(detail, errorBox(error));
    }
  }

  async function restore(version) {
    try {
      const job = await post(base + '/restores', { version: version.versionId });
      render(message, h('p', { class: 'notice' }, 'Restore started. ',
        h('a', { href: `#/status/restore?job=${job.id}` }, 'Follow it on System Status')));
    } catch (error) {
      render(message, errorBox(error));
    }
  }

  async function downloadObject(version) {
    try {
      const job = await post(apiPath`/tenants/${tenantId}/downloads`,
        { scope: 'object', type, objectId, versionId: version.versionId });
      render(message, h('p', { class: 'notice' }, 'Download is being built. ',
        h('a', { href: `#/status/download?job=${job.id}` }, 'Follow it on System Status')));
    } catch (error) {
      render(message, errorBox(error));
    }
  }
}

function diffRow(kind, name, before, after) {
  const text = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
  return h('tr', { class: `diff-${kind}` }, h('td', {}, kind), h('td', {}, name),
    h('td', { class: 'mono' }, text(before)), h('td', { class: 'mono' }, text(after)));
}
