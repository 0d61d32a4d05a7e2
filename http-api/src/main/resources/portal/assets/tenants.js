import { h, render, when, badge, errorBox, table, refreshWhileShown } from './dom.js';
import { get, post, apiPath } from './api.js';

const TYPES = ['users', 'groups', 'directoryRoles', 'roleDefinitions', 'roleAssignments'];

const REFRESH_MILLIS = 4000;

/**
 * The dashboard: the account's tenants, their state and what can be done with each. The list is a read
 * model that follows the tenants' events a moment later, so it is refreshed while shown (and redrawn only
 * when it changed, so nothing moves under the operator's pointer).
 */
export async function tenantsView(view, onLeave) {
  const message = h('div', { id: 'message' });
  const list = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  let reload = () => {};
  render(view, h('h1', {}, 'Tenants'), message, addTenantForm(message, () => reload()), list);
  reload = await refreshWhileShown(list, {
    fetch: allTenants,
    draw: (tenants, reloadNow) => table(
      ['Tenant', 'Status', 'Frequency', 'Next backup', 'Last backup', 'Objects', ''],
      tenants.map((tenant) => row(tenant, message, reloadNow)),
      'No tenants yet: add one above.'),
    millis: REFRESH_MILLIS,
    onLeave,
  });
}

async function allTenants() {
  const tenants = [];
  let cursor = null;
  do {
    const page = await get('/tenants?limit=100' + (cursor ? apiPath`&cursor=${cursor}` : ''));
    tenants.push(...page.items);
    cursor = page.next ?? null;
  } while (cursor);
  return tenants;
}

function addTenantForm(message, reload) {
  const name = h('input', { id: 'tenant-name', required: true, maxlength: 256, placeholder: 'Contoso Ltd' });
  const entra = h('input', { id: 'tenant-entra', placeholder: 'contoso.onmicrosoft.com or tenant id (optional)',
    size: 40 });
  return h('form', {
    class: 'inline card', onsubmit: async (event) => {
      event.preventDefault();
      try {
        const body = { displayName: name.value.trim() };
        if (entra.value.trim()) body.entraTenant = entra.value.trim();
        const tenant = await post('/tenants', body);
        render(message, h('p', { class: 'notice' }, `Added ${tenant.displayName}: activate its backup next`
          + ' (it appears in the list in a moment).'));
        name.value = '';
        entra.value = '';
        reload();
      } catch (error) {
        render(message, errorBox(error));
      }
    },
  }, h('label', { for: 'tenant-name' }, 'Add a tenant'), name, entra, h('button', { type: 'submit' }, 'Add tenant'));
}

function row(tenant, message, reload) {
  const counts = TYPES.filter((type) => tenant.objectCounts?.[type] !== undefined)
    .map((type) => `${type} ${tenant.objectCounts[type]}`).join(', ');
  const last = tenant.lastBackup ? [badge(tenant.lastBackup.result), ' ', when(tenant.lastBackup.finishedAt)] : '—';
  const frequency = tenant.backupFrequency === 'P1D' ? 'every 24 hours' : (tenant.backupFrequency ?? '—');
  return h('tr', { dataset: { tenant: tenant.id } },
    h('td', {}, h('a', { href: `#/tenants/${tenant.id}` }, tenant.displayName),
      h('div', { class: 'sub' }, tenant.entraTenantId ?? tenant.entraTenant ?? '')),
    h('td', {}, badge(tenant.status), tenant.statusReason ? h('div', { class: 'sub' }, tenant.statusReason) : null),
    h('td', {}, frequency),
    h('td', {}, when(tenant.nextBackupAt)),
    h('td', {}, last),
    h('td', { class: 'sub' }, counts || '—'),
    h('td', { class: 'actions' }, actions(tenant, message, reload)));
}

function actions(tenant, message, reload) {
  const offered = new Set(tenant.actions ?? []);
  return [
    offered.has('activate') && h('button', { type: 'button', onclick: () => activateDialog(tenant, message) },
      'Activate Backup'),
    offered.has('backup_now') && h('button', { type: 'button', onclick: () => backupNow(tenant, message, reload) },
      'Backup Now'),
    offered.has('download') && h('button', { type: 'button', class: 'secondary',
      onclick: () => download(tenant, message) }, 'Download'),
    offered.has('show_detail') && h('a', { class: 'button secondary', href: `#/tenants/${tenant.id}` }, 'Show Detail'),
  ];
}

/** Activate Backup: the options the consent records, then off to Microsoft's admin consent. */
function activateDialog(tenant, message) {
  const immediate = h('input', { type: 'checkbox', id: 'immediate-backup', checked: true });
  const frequency = h('select', { id: 'frequency' }, h('option', { value: 'P1D' }, 'Every 24 hours'));
  const dialog = h('dialog', { class: 'card' },
    h('form', {
      method: 'dialog', onsubmit: async (event) => {
        event.preventDefault();
        try {
          const activation = await post(apiPath`/tenants/${tenant.id}/activation`,
            { immediateBackup: immediate.checked, frequency: frequency.value });
          window.location.assign(activation.consentUrl);
        } catch (error) {
          dialog.close();
          render(message, errorBox(error));
        }
      },
    },
    h('h2', {}, `Activate backup of ${tenant.displayName}`),
    h('p', {}, 'A global administrator of the tenant signs in with Microsoft and grants admin consent. '
      + 'Send this page to them, or sign in yourself if you are one.'),
    h('label', {}, immediate, ' Immediate backup after consent'),
    h('label', { for: 'frequency' }, 'Backup frequency'), frequency,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'sign-in-with-microsoft', class: 'microsoft' }, 'Sign in with Microsoft'),
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'))));
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}

async function backupNow(tenant, message, reload) {
  try {
    const job = await post(apiPath`/tenants/${tenant.id}/backups`);
    render(message, h('p', { class: 'notice' }, `Backup of ${tenant.displayName} started. `,
      h('a', { href: `#/status/backup?job=${job.id}` }, 'Follow it on System Status')));
    reload();
  } catch (error) {
    render(message, errorBox(error));
  }
}

async function download(tenant, message) {
  try {
    const job = await post(apiPath`/tenants/${tenant.id}/downloads`, { scope: 'tenant' });
    render(message, h('p', { class: 'notice' }, `Download of ${tenant.displayName} is being built. `,
      h('a', { href: `#/status/download?job=${job.id}` }, 'Follow it on System Status')));
  } catch (error) {
    render(message, errorBox(error));
  }
}
