import { h, render, when, errorBox } from './dom.js';
import { api, post, apiPath } from './api.js';

/**
 * Offboarding in the portal (cluster/OFFBOARDING.md): Delete asks first, naming the tenant; a tenant whose deletion
 * is scheduled says when, and offers Undo until then.
 */

/** "Deletion scheduled at ..." under a tenant whose deletion is scheduled; nothing otherwise. */
export function deletionNote(tenant) {
  return tenant.deletionScheduledFor
    ? h('div', { class: 'deletion-note sub' }, 'Deletion scheduled at ', when(tenant.deletionScheduledFor))
    : null;
}

/**
 * Delete, or Undo for a tenant whose deletion is scheduled; `done(banner)` runs after either succeeded, with the banner
 * shown in `message`, for a page that draws itself again to show it in its new message area.
 */
export function deletionAction(tenant, message, done) {
  if (tenant.deletionScheduledFor) {
    return h('button', { type: 'button', class: 'secondary undo-deletion',
      'aria-label': `Undo the deletion of ${tenant.displayName}`,
      onclick: () => undo(tenant, message, done) }, 'Undo');
  }
  return h('button', { type: 'button', class: 'secondary delete-tenant', 'aria-label': `Delete ${tenant.displayName}`,
    onclick: () => deleteDialog(tenant, message, done) }, 'Delete');
}

/** Asks before deleting, naming the tenant; Escape or Cancel (which has the focus) does nothing. */
function deleteDialog(tenant, message, done) {
  const dialog = h('dialog', { class: 'card', 'aria-labelledby': 'delete-title' },
    h('form', { method: 'dialog', onsubmit: async (event) => {
      event.preventDefault();
      dialog.close();
      try {
        const scheduled = await api('DELETE', apiPath`/tenants/${tenant.id}`);
        const banner = h('p', { class: 'notice', role: 'status' }, `${tenant.displayName} will be deleted at `,
          when(scheduled.deletionScheduledFor), '. Until then, Undo keeps it.');
        render(message, banner);
        done(banner);
      } catch (error) {
        render(message, errorBox(error));
      }
    } },
    h('h2', { id: 'delete-title' }, `Delete ${tenant.displayName}?`),
    h('p', {}, `Every backup, version and download of ${tenant.displayName} is deleted for good after a grace period;`
      + ' no backup runs meanwhile, and until then Undo brings it back. The encryption key of its data is destroyed'
      + ' first, so no copy of the database can be read afterwards.'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'confirm-delete' }, `Delete ${tenant.displayName}`),
      h('button', { type: 'button', class: 'secondary', autofocus: true, onclick: () => dialog.close() }, 'Cancel'))));
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}

async function undo(tenant, message, done) {
  try {
    await post(apiPath`/tenants/${tenant.id}/deletion/cancel`);
    const banner = h('p', { class: 'notice', role: 'status' }, `${tenant.displayName} is kept; its backups resume.`);
    render(message, banner);
    done(banner);
  } catch (error) {
    render(message, errorBox(error));
  }
}
