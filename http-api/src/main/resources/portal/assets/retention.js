import { h, render, errorBox } from './dom.js';
import { api, get, apiPath } from './api.js';

// The periods the API takes (cluster/RETENTION.md), and unlimited (null), the default.
const PERIODS = [[null, 'Unlimited (keep every version)'], [30, '30 days'], [90, '90 days'], [365, '365 days']];

/**
 * Account settings: how long versions are kept after they stop being current. A version current at any moment of the
 * period stays restorable; an object's latest version is always kept. Needs the admin scope (the API's refusal shows
 * otherwise).
 */
export async function retentionSection(section, me) {
  const heading = h('h2', { id: 'retention-heading' }, 'Retention');
  try {
    const current = await get(apiPath`/accounts/${me.account}/retention`);
    render(section, heading, h('p', { class: 'sub' }, 'How long a version is kept after a newer one replaced it. '
      + 'Every state an object had within the period stays restorable, and its latest version is never removed. '
      + 'Tenants may set their own.'), retentionForm(me, current));
  } catch (error) {
    render(section, heading, errorBox(error));
  }
}

function retentionForm(me, current) {
  const banner = h('div', { id: 'retention-message' });
  const choice = h('select', { id: 'retention-keep', name: 'keepDays', 'aria-describedby': 'retention-hint' },
    PERIODS.map(([days, label]) => h('option', { value: days ?? '', selected: (current.keepDays ?? null) === days },
      label)));
  return h('form', { class: 'card', id: 'retention', onsubmit: async (event) => {
    event.preventDefault();
    const keepDays = choice.value === '' ? null : Number(choice.value);
    try {
      const saved = await api('PUT', apiPath`/accounts/${me.account}/retention`, { keepDays });
      render(banner, h('p', { class: 'notice', role: 'status' }, `Saved: ${describe(saved)}.`));
    } catch (error) {
      render(banner, errorBox(error));
    }
  } },
  h('label', { for: 'retention-keep' }, 'Keep replaced versions for'), choice,
  h('p', { class: 'sub', id: 'retention-hint' }, `Now: ${describe(current)}. Pruning runs daily per tenant and shows `
    + 'on System Status as a retention job.'),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save retention')),
  banner);
}

function describe(view) {
  return view.keepDays == null ? 'unlimited' : `${view.keepDays} days`;
}

/**
 * A tenant's own retention, folded under its header: the account's period applies unless the tenant sets its own.
 * Shown only to a key with the admin scope (another key gets nothing here: retention is the account's business).
 */
export async function tenantRetention(target, tenantId) {
  let current;
  try {
    current = await get(apiPath`/tenants/${tenantId}/retention`);
  } catch (error) {
    render(target);
    return;
  }
  const banner = h('div', { id: 'tenant-retention-message' });
  const choice = h('select', { id: 'tenant-retention-keep', name: 'keepDays' },
    h('option', { value: 'inherit', selected: current.source !== 'tenant' }, 'As the account'),
    PERIODS.map(([days, label]) => h('option', { value: days ?? '',
      selected: current.source === 'tenant' && (current.keepDays ?? null) === days }, label)));
  render(target, h('details', { class: 'card' }, h('summary', {}, `Retention: ${describe(current)}`
    + (current.source === 'tenant' ? ' (this tenant\'s own)' : ' (as the account)')),
  h('form', { onsubmit: async (event) => {
    event.preventDefault();
    const body = choice.value === 'inherit' ? { inherit: true }
      : { keepDays: choice.value === '' ? null : Number(choice.value) };
    try {
      const saved = await api('PUT', apiPath`/tenants/${tenantId}/retention`, body);
      render(banner, h('p', { class: 'notice', role: 'status' }, `Saved: ${describe(saved)}.`));
    } catch (error) {
      render(banner, errorBox(error));
    }
  } },
  h('label', { for: 'tenant-retention-keep' }, 'Keep replaced versions for'), choice,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save retention')), banner)));
}
