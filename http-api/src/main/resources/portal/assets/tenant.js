import { h, render, when, badge, errorBox, table, jobBanner, copyId } from './dom.js';
import { get, post, apiPath } from './api.js';
import { pointInTime } from './pointintime.js';
import { tenantRetention } from './retention.js';
import { deletionNote, deletionAction } from './tenant-deletion.js';

import { TYPE_NAMES } from './object.js';

export { objectView } from './object.js';

const CONSENT_NOTICES = {
  authorized: 'The tenant admin granted consent: the tenant is authorized.',
  refused: 'The tenant admin declined consent.',
};

/**
 * One tenant: its backed-up object types, a Download of all objects of the chosen type (now or as of a point in
 * time), and the objects of that type by name, searchable and paged.
 */
export async function tenantView(view, tenantId, params, banner = null) {
  const type = params.get('type') ?? 'users';
  const search = params.get('search') ?? '';
  const header = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const message = h('div', { id: 'message' }, banner);
  const types = h('nav', { class: 'tabs', id: 'types', 'aria-label': 'Object types' });
  const download = h('div', { id: 'type-download' });
  const objects = h('div', { id: 'objects' });
  const retention = h('div', { id: 'tenant-retention' });
  const notice = params.get('consent') && CONSENT_NOTICES[params.get('consent')];
  render(view, notice ? h('p', { class: 'notice' }, notice) : null, header, retention, message, types, download,
    objects);
  try {
    const tenant = await get(apiPath`/tenants/${tenantId}`);
    render(header, h('h1', {}, tenant.displayName, ' ', badge(tenant.status)),
      h('p', { class: 'sub' }, [tenant.organizationName, (tenant.verifiedDomains ?? []).join(', ')]
        .filter(Boolean).join(' · ')),
      h('p', { class: 'sub ids' }, 'Tenant id ', copyId('tenant', tenant.id),
        tenant.entraTenantId ? [' · Entra tenant id ', copyId('Entra tenant', tenant.entraTenantId)] : null),
      tenant.statusReason ? h('p', { class: 'error' }, tenant.statusReason) : null,
      h('p', {}, 'Last backup: ', tenant.lastBackup ? [badge(tenant.lastBackup.result), ' ',
        when(tenant.lastBackup.finishedAt)] : 'none yet', ' · Next: ', when(tenant.nextBackupAt)),
      deletionNote(tenant),
      h('div', { class: 'actions' }, deletionAction(tenant, message, (shown) => tenantView(view, tenantId, params, shown))));
    tenantRetention(retention, tenantId);
    const summary = await get(apiPath`/tenants/${tenantId}/objects`);
    render(types, summary.items.map((entry) => h('a', {
      href: `#/tenants/${encodeURIComponent(tenantId)}?type=${encodeURIComponent(entry.type)}`,
      class: entry.type === type ? 'active' : '', 'aria-current': entry.type === type ? 'page' : false,
    }, `${entry.type} (${entry.count})`)));
    render(download, typeDownload(tenant, type, message));
    await objectList(objects, tenantId, type, search);
  } catch (error) {
    render(header, errorBox(error));
  }
}

/** "Download all users": the type scope of the download API, now or as of a date or backup run. */
function typeDownload(tenant, type, message) {
  const moment = pointInTime('type-download', tenant.id);
  const deleted = h('input', { type: 'checkbox', id: 'type-download-deleted' });
  const name = TYPE_NAMES[type] ?? type;
  return h('form', {
    class: 'inline card download-form', 'aria-label': `Download all ${name}`, onsubmit: async (event) => {
      event.preventDefault();
      try {
        const body = { scope: 'type', type, includeDeleted: deleted.checked, ...moment.value() };
        const job = await post(apiPath`/tenants/${tenant.id}/downloads`, body);
        const what = `all ${name} of ${tenant.displayName}${moment.describe()}`;
        render(message, jobBanner(`Download of ${what} is being built.`, 'download', job.id));
      } catch (error) {
        render(message, errorBox(error));
      }
    },
  }, moment.element,
  h('label', { class: 'check', for: deleted.id }, deleted, ' Include deleted objects'),
  h('button', { type: 'submit', id: 'download-type' }, `Download all ${name}`));
}

async function objectList(target, tenantId, type, search) {
  const query = h('input', { type: 'search', id: 'search', value: search, 'aria-label': `Search ${TYPE_NAMES[type]
    ?? type}`, placeholder: type === 'users' ? 'Display name or UPN starts with…' : 'Display name starts with…' });
  const list = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const more = h('div', { class: 'actions' });
  const rows = [];
  render(target, h('form', {
    class: 'inline', role: 'search', onsubmit: (event) => {
      event.preventDefault();
      window.location.hash = `#/tenants/${encodeURIComponent(tenantId)}?type=${encodeURIComponent(type)}`
        + `&search=${encodeURIComponent(query.value)}`;
    },
  }, query, h('button', { type: 'submit' }, 'Search')), list, more);

  async function page(cursor) {
    const params = new URLSearchParams({ limit: '50' });
    if (search) params.set('search', search);
    if (cursor) params.set('cursor', cursor);
    try {
      const result = await get(apiPath`/tenants/${tenantId}/objects/${type}` + `?${params}`);
      rows.push(...result.items.map((item) => h('tr', { 'data-object': item.id },
        h('td', {}, h('a', { href: `#/tenants/${encodeURIComponent(tenantId)}/objects/${encodeURIComponent(type)}/`
          + encodeURIComponent(item.id) }, item.displayName || `Unnamed ${TYPE_NAMES[type] ?? type}`),
          item.detail ? h('div', { class: 'sub' }, item.detail) : null),
        h('td', {}, when(item.capturedAt)),
        h('td', {}, item.deleted ? badge('deleted') : 'in the directory'),
        h('td', {}, copyId(item.displayName || 'object', item.id)))));
      render(list, table(['Name', 'Latest snapshot', 'State', 'Id'], rows,
        search ? `No ${TYPE_NAMES[type] ?? type} whose name starts with "${search}".` : 'No objects.'));
      render(more, result.next ? h('button', { type: 'button', class: 'secondary', onclick: () => page(result.next) },
        'More') : null);
    } catch (error) {
      render(more, errorBox(error));
    }
  }
  await page(null);
}
