import { h, render, when, table, errorBox } from './dom.js';
import { api, get, post, apiPath, session } from './api.js';
import { retentionSection } from './retention.js';

// The scopes a key may carry (API-SECURITY.md), in the API's order, with what each allows.
const SCOPES = [
  ['read', 'browse tenants, objects and System Status'],
  ['operate', 'Backup Now, downloads, activation links'],
  ['restore', 'restore to a customer\'s directory'],
  ['admin', 'manage this account\'s keys and settings'],
];
const FOUR_EYES = [
  ['privilegedRestores', 'Restores of privileged objects wait for approval',
    'Directory role memberships and assignments of privileged roles.'],
  ['everyRestore', 'Every restore waits for approval', 'Privileged or not.'],
  ['tenantDownloads', 'Downloads of a whole tenant wait for approval', 'Downloads of one type or object do not.'],
];
const LONGEST_WINDOW_HOURS = 168;

/**
 * Account: who this key is, the account's API keys (create, rotate, revoke) and its four-eyes settings. Keys and
 * settings need the admin scope; a key without it is shown the API's own refusal instead of forms it cannot use.
 */
export async function accountView(view) {
  const me = await get('/session');
  const keys = h('section', { id: 'keys', 'aria-labelledby': 'keys-heading' });
  const settings = h('section', { id: 'settings', 'aria-labelledby': 'settings-heading' });
  const retention = h('section', { id: 'retention-settings', 'aria-labelledby': 'retention-heading' });
  render(view, h('h1', {}, 'Account'), sessionCard(me), keys, settings, retention);
  await Promise.all([keysSection(keys, me), settingsSection(settings, me), retentionSection(retention, me)]);
}

function sessionCard(me) {
  const admin = me.scopes.includes('admin');
  return h('div', { class: 'card', id: 'session' },
    h('p', {}, 'Signed in to account ', h('strong', { class: 'mono' }, me.account), ' with key ',
      h('span', { class: 'mono' }, me.keyId), me.installAdmin ? ' (the install administrator\'s key)' : '', '.'),
    h('p', {}, 'This key may: ', h('span', { id: 'session-scopes' }, me.scopes.join(', ') || 'nothing'), '.'),
    admin ? null : h('p', { class: 'sub' },
      'Managing keys and settings needs a key with the admin scope; this page shows what the API answers to this key.'));
}

// ---- Keys ----

async function keysSection(section, me) {
  const heading = h('h2', { id: 'keys-heading' }, 'API keys');
  const message = h('div', { id: 'keys-message' });
  const list = h('div', { id: 'key-list' }, h('p', { class: 'empty' }, 'Loading…'));
  async function reload() {
    try {
      const page = await get(apiPath`/accounts/${me.account}/keys`);
      render(list, table(['Name', 'Key id', 'Scopes', 'Created', 'Revoked', ''],
        page.items.map((key) => keyRow(key, me, message, reload)), 'No keys.'));
      return true;
    } catch (error) {
      render(list, errorBox(error));
      return false;
    }
  }
  render(section, heading, message, list);
  if (await reload()) {
    render(section, heading, createKeyForm(me, message, reload), message, list);
  }
}

function keyRow(key, me, message, reload) {
  const revoked = Boolean(key.revokedAt);
  return h('tr', { dataset: { key: key.keyId }, class: revoked ? 'revoked' : '' },
    h('td', {}, key.name, key.keyId === me.keyId ? h('div', { class: 'sub' }, 'this key') : null),
    h('td', { class: 'mono sub' }, key.keyId),
    h('td', { class: 'scopes' }, (key.scopes ?? []).join(', ')),
    h('td', {}, when(key.createdAt)),
    h('td', {}, revoked ? [h('span', { class: 'badge badge-revoked' }, 'revoked'), ' ', when(key.revokedAt)] : '—'),
    h('td', { class: 'actions' }, revoked ? null : keyActions(key, me, message, reload)));
}

function keyActions(key, me, message, reload) {
  if (key.installAdmin) return h('span', { class: 'sub' }, 'Managed by configuration');
  const own = key.keyId === me.keyId;
  return [
    h('button', { type: 'button', class: 'secondary rotate', 'aria-label': `Rotate key ${key.name}`,
      onclick: () => confirmDialog(`Rotate key ${key.name}?`,
        'The key gets a new secret, shown once; the old secret stops working at once.'
          + (own ? ' This is the key this tab is signed in with: the tab goes on with the new secret.' : ''),
        'Rotate', () => rotate(key, me, message, reload)) }, 'Rotate'),
    h('button', { type: 'button', class: 'secondary revoke', 'aria-label': `Revoke key ${key.name}`,
      onclick: () => confirmDialog(`Revoke key ${key.name}?`,
        'Anything using this key stops working at once (on other nodes within half a minute). This cannot be undone.'
          + (own ? ' This is the key this tab is signed in with.' : ''),
        'Revoke', () => revoke(key, me, message, reload)) }, 'Revoke'),
  ];
}

function createKeyForm(me, message, reload) {
  const name = h('input', { id: 'key-name', name: 'name', required: true, maxlength: 100, placeholder: 'ticketing',
    autocomplete: 'off' });
  // A key grants only scopes it holds itself (the install administrator grants any): the others are offered disabled.
  const boxes = SCOPES.map(([scope, what]) => {
    const grantable = me.installAdmin || me.scopes.includes(scope);
    const box = h('input', { type: 'checkbox', name: 'scope', value: scope, id: `scope-${scope}`,
      checked: scope === 'read', disabled: !grantable });
    return h('label', { for: `scope-${scope}`, class: 'check' }, box, ` ${scope} `,
      h('span', { class: 'sub' }, grantable ? `(${what})` : `(${what}; this key cannot grant it)`));
  });
  return h('form', { class: 'card', id: 'create-key', onsubmit: async (event) => {
    event.preventDefault();
    const scopes = [...event.target.querySelectorAll('input[name=scope]:checked')].map((box) => box.value);
    if (scopes.length === 0) {
      render(message, errorBox(new Error('Choose at least one scope.')));
      return;
    }
    try {
      const created = await post(apiPath`/accounts/${me.account}/keys`, { name: name.value.trim(), scopes });
      render(message, secretNotice(`Key ${created.name} (${created.keyId}) was created.`, created));
      name.value = '';
      reload();
    } catch (error) {
      render(message, errorBox(error));
    }
  } },
  h('h3', {}, 'Create a key'),
  h('label', { for: 'key-name' }, 'Name'), name,
  h('fieldset', {}, h('legend', {}, 'Scopes'), boxes),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create key')));
}

async function rotate(key, me, message, reload) {
  try {
    const fresh = await post(apiPath`/accounts/${me.account}/keys/${key.keyId}/rotate`);
    // The tab's own key: its old secret no longer works, so the tab goes on with the new one.
    if (key.keyId === me.keyId) session.signIn(fresh.key);
    render(message, secretNotice(`Key ${fresh.name} (${fresh.keyId}) has a new secret; the old one no longer works.`,
      fresh));
  } catch (error) {
    render(message, errorBox(error));
  }
  reload();
}

async function revoke(key, me, message, reload) {
  try {
    await api('DELETE', apiPath`/accounts/${me.account}/keys/${key.keyId}`);
    render(message, h('p', { class: 'notice', role: 'status' }, `Key ${key.name} (${key.keyId}) is revoked.`));
  } catch (error) {
    render(message, errorBox(error));
  }
  reload();
}

/** A new secret, shown this once: selected for copying, with a Copy button and the warning that it is not kept. */
function secretNotice(text, key) {
  const secret = h('input', { id: 'new-key-secret', class: 'mono', readonly: true, value: key.key, size: 60,
    'aria-describedby': 'new-key-warning', dataset: { keyId: key.keyId } });
  const copied = h('span', { class: 'sub', role: 'status' });
  const notice = h('div', { class: 'notice secret' },
    h('p', {}, text),
    h('label', { for: 'new-key-secret' }, 'Secret'), secret,
    h('p', { id: 'new-key-warning' }, h('strong', {}, 'Copy it now: it will not be shown again. '),
      'We keep only its hash; if it is lost, rotate the key. Select it and press Ctrl+C (⌘C), or use Copy.'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: async () => {
        secret.select();
        try {
          await navigator.clipboard.writeText(secret.value);
          copied.textContent = 'Copied.';
        } catch {
          copied.textContent = 'The browser did not allow copying: the secret is selected, press Ctrl+C.';
        }
      } }, 'Copy'),
      h('button', { type: 'button', class: 'secondary', onclick: () => notice.remove() }, 'Done, I have copied it'),
      copied));
  setTimeout(() => { secret.focus(); secret.select(); }, 0);
  return notice;
}

/** Asks before an action that cannot be undone; Escape or Cancel does nothing. */
function confirmDialog(title, text, verb, action) {
  const dialog = h('dialog', { class: 'card', 'aria-labelledby': 'confirm-title' },
    h('form', { method: 'dialog', onsubmit: (event) => {
      event.preventDefault();
      dialog.close();
      action();
    } },
    h('h2', { id: 'confirm-title' }, title),
    h('p', {}, text),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'confirm' }, verb),
      // Cancel has the focus: Enter on a dialog that revokes must not be the way to revoke by accident.
      h('button', { type: 'button', class: 'secondary', autofocus: true, onclick: () => dialog.close() }, 'Cancel'))));
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}

// ---- Four-eyes settings ----

async function settingsSection(section, me) {
  const heading = h('h2', { id: 'settings-heading' }, 'Four-eyes approvals');
  try {
    const current = await get(apiPath`/accounts/${me.account}/settings`);
    render(section, heading, h('p', { class: 'sub' }, 'Which jobs wait until a second key of this account approves '
      + 'them on System Status (a key other than the one that asked, with the restore scope for a restore or operate '
      + 'for a download).'), settingsForm(me, current.fourEyes, current.pendingFourEyes));
  } catch (error) {
    render(section, heading, errorBox(error));
  }
}

function settingsForm(me, fourEyes, pending) {
  const banner = h('div', { id: 'settings-message' });
  const pendingBox = h('div', { id: 'four-eyes-pending' }, pending ? pendingNote(pending) : '');
  const boxes = FOUR_EYES.map(([field, label, hint]) => h('div', {},
    h('label', { for: `four-eyes-${field}`, class: 'check' },
      h('input', { type: 'checkbox', id: `four-eyes-${field}`, name: field, checked: Boolean(fourEyes[field]) }),
      ` ${label} `, h('span', { class: 'sub' }, hint))));
  const hours = windowHours(fourEyes.approvalWindow);
  const windowField = h('input', { type: 'number', id: 'approval-window', name: 'approvalWindow', step: 'any', min: 0,
    max: LONGEST_WINDOW_HOURS, required: true, value: hours ?? '', 'aria-describedby': 'approval-window-hint' });
  return h('form', { class: 'card', id: 'four-eyes', onsubmit: async (event) => {
    event.preventDefault();
    const body = { fourEyes: { approvalWindow: hours !== null && Number(windowField.value) === hours
      ? fourEyes.approvalWindow : isoWindow(Number(windowField.value)) } };
    FOUR_EYES.forEach(([field]) => { body.fourEyes[field] = event.target.elements[field].checked; });
    try {
      const saved = await api('PUT', apiPath`/accounts/${me.account}/settings`, body);
      render(banner, h('p', { class: 'notice', role: 'status' }, 'Saved. In force: ', describe(saved.fourEyes)));
      render(pendingBox, saved.pendingFourEyes ? pendingNote(saved.pendingFourEyes) : '');
    } catch (error) {
      render(banner, errorBox(error));
    }
  } },
  boxes,
  h('label', { for: 'approval-window' }, 'Approval window (hours)'), windowField,
  h('p', { class: 'sub', id: 'approval-window-hint' },
    `How long a request waits for its approval before it expires; at most ${LONGEST_WINDOW_HOURS} hours (7 days).`
    + (hours === null ? ` Now ${fourEyes.approvalWindow}.` : '')),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')),
  banner, pendingBox);
}

/**
 * A relaxation of four eyes waits for the approval window in force (so one admin key cannot switch it off, restore
 * alone and switch it back): shown with when it takes effect and who asked, so the account's other admins see it.
 */
function pendingNote(pending) {
  return h('p', { class: 'notice warning', role: 'status' }, `Pending from ${new Date(pending.from).toLocaleString()}`
    + ` (asked for by key ${pending.requestedBy}): `, describe(pending.fourEyes),
    ' Until then the rule above holds. Save the rule in force again to cancel it.');
}

function describe(fourEyes) {
  const waits = FOUR_EYES.filter(([field]) => fourEyes[field]).map(([, label]) => label.toLowerCase());
  const hours = windowHours(fourEyes.approvalWindow);
  return `${waits.length ? waits.join('; ') : 'nothing waits for approval'}; approval window `
    + `${hours === null ? fourEyes.approvalWindow : `${hours} hours`}.`;
}

/** An ISO-8601 duration as the server writes it (PT24H, PT1H30M, PT10S; P1D if sent so) in hours; null if not. */
function windowHours(iso) {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso ?? '');
  if (!match || iso === 'P' || iso.endsWith('T')) return null;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return Math.round((days * 24 + hours + minutes / 60 + seconds / 3600) * 1e4) / 1e4;
}

/** Hours as the shortest ISO-8601 duration the server reads back the same: PT2H, PT90M, PT36S. */
function isoWindow(hours) {
  const seconds = Math.round(hours * 3600);
  if (seconds % 3600 === 0) return `PT${seconds / 3600}H`;
  if (seconds % 60 === 0) return `PT${seconds / 60}M`;
  return `PT${seconds}S`;
}
