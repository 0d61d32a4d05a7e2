import { h, render, when, badge, errorBox, table, refreshWhileShown, jobBanner, copyId } from './dom.js';
import { get, post, apiPath } from './api.js';
import { downloadDialog } from './tenant-download.js';
import { deletionNote, deletionAction } from './tenant-deletion.js';

const TYPES = ['users', 'groups', 'directoryRoles', 'roleDefinitions', 'roleAssignments'];

const REFRESH_MILLIS = 4000;
const PAGE_SIZE = 50;
const SEARCH_PAUSE_MILLIS = 250;

const SORTS = [
  ['name:asc', 'Name (A–Z)'],
  ['name:desc', 'Name (Z–A)'],
  ['status:asc', 'Status (needs attention first)'],
  ['last_backup:desc', 'Last backup (newest first)'],
  ['last_backup:asc', 'Last backup (oldest first)'],
  ['next_backup:asc', 'Next backup (soonest first)'],
];

const FILTERS = [
  ['', 'All statuses'],
  ['needs_attention', 'Needs attention'],
  ['authorized', 'Authorized'],
  ['pending', 'Pending authorization'],
];

const count = new Intl.NumberFormat('en');

/**
 * The dashboard: the account's tenants, searched, filtered, sorted and paged by the API (one page at a time, so ten
 * thousand tenants load as fast as ten), with the account's summary line. The list is a read model that follows the
 * tenants' events a moment later, so the shown page is refreshed while shown (and redrawn only when it changed).
 */
export async function tenantsView(view, onLeave) {
  const message = h('div', { id: 'message' });
  const summary = h('p', { id: 'tenant-summary', class: 'summary', 'aria-live': 'polite' });
  const list = h('div', { id: 'tenant-list' }, h('p', { class: 'empty' }, 'Loading…'));
  const state = { search: '', status: '', sort: 'name:asc', cursors: [null] };
  const pager = pagerControls(state, () => reload());
  let reload = () => {};
  const changed = () => {
    state.cursors = [null];
    reload();
  };
  render(view, h('h1', {}, 'Tenants'), message, addTenantForm(message, () => reload()),
    toolbar(state, changed), summary, list, pager.element);
  reload = await refreshWhileShown(list, {
    fetch: () => currentPage(state),
    draw: (page, reloadNow) => {
      render(summary, summaryText(page.summary));
      pager.show(page);
      return table(
        ['Tenant', 'Status', 'Frequency', 'Next backup', 'Last backup', 'Objects', 'Actions'],
        page.items.map((tenant) => row(tenant, page, message, reloadNow)),
        emptyText(state, page.summary));
    },
    millis: REFRESH_MILLIS,
    onLeave,
  });
}

/**
 * The page the controls ask for now: an answer to a question the operator has changed meanwhile (a refresh started
 * just before a new search) is never drawn over the newer one.
 */
async function currentPage(state) {
  let path;
  let page;
  do {
    path = pagePath(state);
    page = await get(path);
  } while (path !== pagePath(state));
  return page;
}

function pagePath(state) {
  const [sort, order] = state.sort.split(':');
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), sort, order });
  if (state.search) params.set('search', state.search);
  if (state.status) params.set('status', state.status);
  const cursor = state.cursors[state.cursors.length - 1];
  if (cursor) params.set('cursor', cursor);
  return `/tenants?${params}`;
}

/** "1,204 tenants · 3 need attention · 2 backups running" */
export function summaryText(summary) {
  if (!summary) return '';
  const tenants = `${count.format(summary.tenants)} ${summary.tenants === 1 ? 'tenant' : 'tenants'}`;
  const attention = `${count.format(summary.needAttention)} ${summary.needAttention === 1 ? 'needs' : 'need'} attention`;
  const running = `${count.format(summary.backupsRunning)} ${summary.backupsRunning === 1 ? 'backup' : 'backups'} running`;
  return [tenants, attention, running].join(' · ');
}

function emptyText(state, summary) {
  if (state.search || state.status) return 'No tenant matches this search and filter.';
  return summary?.tenants ? 'No more tenants.' : 'No tenants yet: add one above.';
}

function toolbar(state, changed) {
  const search = h('input', { id: 'tenant-search', type: 'search', maxlength: 256,
    placeholder: 'Name, domain or id', autocomplete: 'off' });
  let pause = null;
  search.addEventListener('input', () => {
    clearTimeout(pause);
    pause = setTimeout(() => {
      state.search = search.value.trim();
      changed();
    }, SEARCH_PAUSE_MILLIS);
  });
  const status = h('select', { id: 'tenant-status', onchange: () => { state.status = status.value; changed(); } },
    FILTERS.map(([value, text]) => h('option', { value }, text)));
  const sort = h('select', { id: 'tenant-sort', onchange: () => { state.sort = sort.value; changed(); } },
    SORTS.map(([value, text]) => h('option', { value, selected: value === state.sort }, text)));
  return h('form', { class: 'tenant-toolbar', role: 'search', onsubmit: (event) => event.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: 'tenant-search' }, 'Search tenants'), search),
    h('div', { class: 'field' }, h('label', { for: 'tenant-status' }, 'Status'), status),
    h('div', { class: 'field' }, h('label', { for: 'tenant-sort' }, 'Sort by'), sort));
}

/** Previous / Next over the API's cursors: the cursors of the pages before are kept to go back. */
function pagerControls(state, reload) {
  const previous = h('button', { type: 'button', id: 'tenants-previous', class: 'secondary', onclick: () => {
    state.cursors.pop();
    reload();
  } }, 'Previous');
  const next = h('button', { type: 'button', id: 'tenants-next', class: 'secondary', onclick: () => {
    if (next.dataset.cursor) state.cursors.push(next.dataset.cursor);
    reload();
  } }, 'Next');
  const position = h('span', { id: 'tenants-position', class: 'sub' });
  return {
    element: h('nav', { class: 'pager', 'aria-label': 'Tenant pages' }, previous, position, next),
    show(page) {
      const first = (state.cursors.length - 1) * PAGE_SIZE;
      const matching = page.summary?.matching ?? page.items.length;
      render(position, page.items.length
        ? `${count.format(first + 1)}–${count.format(first + page.items.length)} of ${count.format(matching)}` : '');
      previous.disabled = state.cursors.length <= 1;
      next.disabled = !page.next;
      next.dataset.cursor = page.next ?? '';
    },
  };
}

function addTenantForm(message, reload) {
  const name = h('input', { id: 'tenant-name', required: true, maxlength: 256, placeholder: 'Contoso Ltd' });
  const entra = h('input', { id: 'tenant-entra', placeholder: 'contoso.onmicrosoft.com or tenant id (optional)',
    size: 40, 'aria-label': 'Microsoft directory: domain or Entra tenant id (optional)' });
  return h('form', {
    class: 'inline card', onsubmit: async (event) => {
      event.preventDefault();
      try {
        const body = { displayName: name.value.trim() };
        if (entra.value.trim()) body.entraTenant = entra.value.trim();
        const tenant = await post('/tenants', body);
        render(message, h('p', { class: 'notice', role: 'status' }, `Added ${tenant.displayName}: activate its backup`
          + ' next (it appears in the list in a moment).'));
        name.value = '';
        entra.value = '';
        reload();
      } catch (error) {
        render(message, errorBox(error));
      }
    },
  }, h('label', { for: 'tenant-name' }, 'Add a tenant'), name, entra, h('button', { type: 'submit' }, 'Add tenant'));
}

/** The directory's name for the second line: a custom verified domain first, never a bare GUID. */
function domainOf(tenant) {
  const domains = tenant.verifiedDomains ?? [];
  const custom = domains.find((domain) => !domain.toLowerCase().endsWith('.onmicrosoft.com'));
  const given = tenant.entraTenant && tenant.entraTenant.includes('.') ? tenant.entraTenant : null;
  return custom ?? domains[0] ?? given ?? tenant.organizationName ?? '';
}

function row(tenant, page, message, reload) {
  const counts = TYPES.filter((type) => tenant.objectCounts?.[type] !== undefined)
    .map((type) => `${type} ${count.format(tenant.objectCounts[type])}`).join(', ');
  const last = tenant.lastBackup ? [badge(tenant.lastBackup.result), ' ', when(tenant.lastBackup.finishedAt)] : '—';
  const frequency = tenant.backupFrequency === 'P1D' ? 'every 24 hours' : (tenant.backupFrequency ?? '—');
  const running = (page.backingUp ?? []).includes(tenant.id);
  const shared = page.sameDirectory?.[tenant.id];
  return h('tr', { dataset: { tenant: tenant.id }, class: shared ? 'same-directory' : null },
    h('td', {}, h('a', { href: `#/tenants/${encodeURIComponent(tenant.id)}`, class: 'tenant-name' },
      tenant.displayName),
    h('div', { class: 'sub' }, domainOf(tenant)),
    shared && h('div', { class: 'same-directory-note' },
      `Same Microsoft directory as ${shared.join(', ')}`),
    copyId('tenant', tenant.id)),
    h('td', {}, badge(tenant.status), running ? [' ', badge('running')] : null,
      tenant.statusReason ? h('div', { class: 'sub' }, tenant.statusReason) : null, deletionNote(tenant)),
    h('td', {}, frequency),
    h('td', {}, when(tenant.nextBackupAt)),
    h('td', {}, last),
    h('td', { class: 'sub' }, counts || '—'),
    h('td', { class: 'actions' }, h('div', { class: 'row-actions' }, actions(tenant, message, reload))));
}

function actions(tenant, message, reload) {
  const offered = new Set(tenant.actions ?? []);
  const named = (verb) => `${verb} ${tenant.displayName}`;
  return [
    offered.has('activate') && h('button', { type: 'button', 'aria-label': named('Activate Backup of'),
      onclick: () => activateDialog(tenant, message) }, 'Activate Backup'),
    offered.has('backup_now') && h('button', { type: 'button', 'aria-label': named('Backup Now:'),
      onclick: () => backupNow(tenant, message, reload) }, 'Backup Now'),
    offered.has('download') && h('button', { type: 'button', class: 'secondary', 'aria-label': named('Download'),
      onclick: () => downloadDialog(tenant, message) }, 'Download'),
    offered.has('show_detail') && h('a', { class: 'button secondary', 'aria-label': named('Show Detail of'),
      href: `#/tenants/${encodeURIComponent(tenant.id)}` }, 'Show Detail'),
    deletionAction(tenant, message, reload),
  ];
}

/** Activate Backup: the options the consent records, then off to Microsoft's admin consent. */
function activateDialog(tenant, message) {
  const immediate = h('input', { type: 'checkbox', id: 'immediate-backup', checked: true });
  const frequency = h('select', { id: 'frequency' }, h('option', { value: 'P1D' }, 'Every 24 hours'));
  const dialog = h('dialog', { class: 'card', 'aria-labelledby': 'activate-title' },
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
    h('h2', { id: 'activate-title' }, `Activate backup of ${tenant.displayName}`),
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
    render(message, jobBanner(`Backup of ${tenant.displayName} started.`, 'backup', job.id));
    reload();
  } catch (error) {
    render(message, errorBox(error));
  }
}
