// The portal's router: #/tenants, #/tenants/{id}, #/tenants/{id}/objects/{type}/{objectId}, #/status/{kind}, #/audit, #/account.
import { session } from './api.js';
import { signInView } from './signin.js';
import { tenantsView } from './tenants.js';
import { tenantView, objectView } from './tenant.js';
import { statusView } from './status.js';
import { auditView } from './audit.js';
import { accountView } from './account.js';
import { render, errorBox } from './dom.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
let leaving = [];
// Set by a nav link that opens another page: once drawn, that page's heading takes the focus, so a screen reader
// reads where the operator arrived and Tab goes on from there (not from the nav).
let focusTheNewPage = false;

function onLeave(callback) {
  leaving.push(callback);
}

async function route() {
  leaving.forEach((callback) => callback());
  leaving = [];
  if (!session.key()) {
    nav.hidden = true;
    document.title = 'Sign in · entra-backup';
    signInView(view, () => { window.location.hash = '#/tenants'; route(); });
    return;
  }
  nav.hidden = false;
  const [path, query] = (window.location.hash.slice(1) || '/tenants').split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  markCurrentPage(parts[0] === 'status' || parts[0] === 'audit' || parts[0] === 'account' ? parts[0] : 'tenants');
  try {
    if (parts[0] === 'account') {
      await accountView(view);
    } else if (parts[0] === 'audit') {
      await auditView(view, params);
    } else if (parts[0] === 'status') {
      await statusView(view, parts[1] ?? 'backup', params, onLeave);
    } else if (parts[0] === 'tenants' && parts.length === 5 && parts[2] === 'objects') {
      await objectView(view, parts[1], parts[3], parts[4]);
    } else if (parts[0] === 'tenants' && parts.length === 2) {
      await tenantView(view, parts[1], params);
    } else {
      await tenantsView(view, onLeave);
    }
  } catch (error) {
    render(view, errorBox(error));
  }
  if (focusTheNewPage) {
    focusTheNewPage = false;
    const heading = view.querySelector('h1');
    if (heading) heading.tabIndex = -1;
    (heading ?? view).focus();
  }
}

/** The nav link of the page shown is marked for the eye (.active) and for assistive technology (aria-current). */
function markCurrentPage(section) {
  nav.querySelectorAll('[data-nav]').forEach((link) => {
    const current = link.dataset.nav === section;
    link.classList.toggle('active', current);
    if (current) {
      link.setAttribute('aria-current', 'page');
      document.title = `${link.textContent} · entra-backup`;
    } else {
      link.removeAttribute('aria-current');
    }
  });
}

// The skip link moves focus to the page's content; its #view must not reach the router as a route.
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  view.focus();
});
nav.querySelectorAll('[data-nav]').forEach((link) => link.addEventListener('click', () => {
  focusTheNewPage = link.getAttribute('href') !== window.location.hash;
}));
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  window.location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
route();
