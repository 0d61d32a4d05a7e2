import { h, render, when, table, errorBox, copyId } from './dom.js';
import { get, apiPath } from './api.js';

// The actions the audit trail records (AuditAction's API names), for the filter.
const ACTIONS = ['account.created', 'key.created', 'key.revoked', 'key.rotated', 'key.changed',
  'key.used-from-new-address', 'settings.changed', 'tenant.registered', 'tenant.changed', 'tenant.removed',
  'tenant.activation-requested', 'tenant.consent-completed', 'tenant.consent-refused',
  'tenant.consent-callback-refused', 'tenant.consent-lost', 'backup.requested', 'download.created',
  'download.fetched', 'restore.planned', 'restore.requested', 'job.approved', 'job.rejected', 'restore.run',
  'auth.failed-burst'];
const PAGE_SIZE = 50;

/**
 * Audit: the account's trail, newest first, filtered by action and tenant (kept in the URL: #/audit?action=..). The
 * install administrator's key also reads the install's own trail (failed sign-in bursts from an address, refused
 * consent callbacks: records no account owns), chosen with trail=install in the URL.
 */
export async function auditView(view, params) {
  const action = params.get('action') ?? '';
  const tenant = params.get('tenant') ?? '';
  const install = params.get('trail') === 'install';
  const me = await get('/session');
  const list = h('div', { id: 'audit' }, h('p', { class: 'empty' }, 'Loading…'));
  const chain = h('div', { id: 'audit-chain' });
  render(view, h('h1', {}, install ? 'Audit: the install\'s trail' : 'Audit'),
    me.installAdmin ? trailChoice(install) : null, filterForm(action, tenant, install),
    install ? null : h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary',
      onclick: () => verifyChain(chain) }, 'Verify the chain')), chain, list);

  const items = [];
  const tenants = tenantNames();
  async function more(cursor) {
    try {
      const page = await get(query(action, tenant, cursor, install));
      items.push(...page.items);
      render(list,
        table(['Time', 'Key', 'Address', 'Action', 'Target', 'Outcome'], items.map((record) => row(record, tenants)), 'No audit records.'),
        page.next ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary',
          onclick: () => more(page.next) }, 'More')) : null);
    } catch (error) {
      render(list, errorBox(error));
    }
  }
  await more(null);
}

/** Links between the account's trail and the install's, for the install administrator only. */
function trailChoice(install) {
  const link = (label, href, current) =>
    h('a', { href, class: current ? 'active' : null, 'aria-current': current ? 'page' : null }, label);
  return h('nav', { class: 'tabs', id: 'audit-trails', 'aria-label': 'Audit trails' },
    link('This account', '#/audit', !install),
    link('The install\'s trail', '#/audit?trail=install', install));
}

function query(action, tenant, cursor, install) {
  let path = apiPath`/audit?limit=${PAGE_SIZE}`;
  if (install) path += '&trail=install';
  if (action) path += apiPath`&action=${action}`;
  if (tenant) path += apiPath`&tenant=${tenant}`;
  if (cursor) path += apiPath`&cursor=${cursor}`;
  return path;
}

function filterForm(action, tenant, install) {
  const actionField = h('select', { name: 'action', id: 'audit-action' },
    h('option', { value: '' }, 'Every action'),
    ACTIONS.map((name) => h('option', { value: name, selected: name === action }, name)));
  const tenantField = h('input', { name: 'tenant', id: 'audit-tenant', value: tenant,
    'aria-describedby': 'audit-tenant-hint' });
  return h('form', { class: 'inline filters', onsubmit: (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    if (install) chosen.set('trail', 'install');
    if (actionField.value) chosen.set('action', actionField.value);
    if (tenantField.value.trim()) chosen.set('tenant', tenantField.value.trim());
    const text = chosen.toString();
    window.location.hash = text ? `#/audit?${text}` : '#/audit';
  } }, h('label', {}, 'Action ', actionField), h('label', {}, 'Tenant id ', tenantField),
  h('span', { class: 'sub', id: 'audit-tenant-hint' }, '(Copy id beside a tenant\'s name)'),
  h('button', { type: 'submit' }, 'Filter'));
}

/**
 * The display names of the tenants the records name, each asked for once (a removed tenant has none: its id is shown).
 * Answers a function that draws a tenant into an element as soon as its name is known.
 */
function tenantNames() {
  const asked = new Map();
  return (target, tenantId) => {
    if (!asked.has(tenantId)) {
      asked.set(tenantId, get(apiPath`/tenants/${tenantId}`).then((tenant) => tenant.displayName, () => null));
    }
    asked.get(tenantId).then((name) => render(target, 'tenant: ',
      name ? h('a', { href: `#/tenants/${encodeURIComponent(tenantId)}` }, name) : tenantId, ' ',
      copyId(`tenant ${name ?? ''}`.trim(), tenantId)));
  };
}

function targetLine(name, value, tenants) {
  const line = h('div', {}, `${name}: ${value}`);
  if (name === 'tenant') tenants(line, value);
  return line;
}

function row(record, tenants) {
  return h('tr', { dataset: { sequence: String(record.sequence) } },
    h('td', {}, when(record.at)),
    h('td', { class: 'mono' }, record.keyId ?? '—'),
    h('td', { class: 'mono sub' }, record.source ?? '—', record.userAgent ? h('div', {}, record.userAgent) : null),
    h('td', {}, record.action),
    h('td', { class: 'sub' }, Object.entries(record.target ?? {}).map(([name, value]) =>
      targetLine(name, value, tenants))),
    h('td', {}, h('span', { class: `badge badge-${record.outcome === 'success' ? 'completed' : 'failed'}` },
      record.outcome), record.status ? ` ${record.status}` : ''));
}

/** The account's hash chain checked by the server (needs a key with the admin scope). */
async function verifyChain(target) {
  try {
    const check = await get('/audit/verification');
    render(target, check.firstBreak
      ? h('p', { class: 'error', role: 'alert' },
        `The chain is broken at record ${check.firstBreak.sequence}: ${check.firstBreak.problem}`)
      : h('p', { class: 'notice' }, `The chain of ${check.records} records is intact.`));
  } catch (error) {
    render(target, errorBox(error));
  }
}
