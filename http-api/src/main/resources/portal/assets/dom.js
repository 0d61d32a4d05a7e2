// Builds DOM from data without ever parsing data as HTML: every text goes through textContent.

/** h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function render(target, ...children) {
  target.replaceChildren();
  append(target, children);
}

export function when(instant) {
  if (!instant) return '—';
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? String(instant) : date.toLocaleString();
}

export function duration(millis) {
  if (millis === undefined || millis === null) return '—';
  if (millis < 1000) return `${millis} ms`;
  const seconds = millis / 1000;
  return seconds < 120 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`;
}

export function badge(state) {
  const text = String(state ?? 'unknown').replaceAll('_', ' ');
  return h('span', { class: `badge badge-${String(state ?? 'unknown')}` }, text);
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error?.message ?? String(error));
}

/**
 * A table of `rows` (<tr> elements) under `headings` (texts or nodes; '' for a column of actions), or `emptyText`
 * when there are none. Each cell gets its column's heading as data-label: on a narrow screen portal.css draws every
 * row as a card whose cells read "Heading: value". Rows appended to its tbody later get their labels too.
 */
export function table(headings, rows, emptyText) {
  if (rows.length === 0) return h('p', { class: 'empty' }, emptyText);
  const labels = headings.map((heading) =>
    (heading instanceof Node ? heading.textContent : String(heading ?? '')).trim());
  const body = h('tbody', {}, rows);
  for (const row of body.rows) labelCells(row, labels);
  // Rows added later (a "More" page appended to this tbody) are labelled as they arrive.
  new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach((node) => {
    if (node instanceof HTMLTableRowElement) labelCells(node, labels);
  }))).observe(body, { childList: true });
  return h('table', {},
    h('thead', {}, h('tr', {}, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    body);
}

/** Sets each cell's data-label from the heading of the column it starts in (a cell may span several). */
function labelCells(row, labels) {
  let column = 0;
  for (const cell of row.cells) {
    const label = labels[column];
    if (label && !cell.hasAttribute('data-label')) cell.dataset.label = label;
    column += cell.colSpan || 1;
  }
}

/**
 * Shows in `target` what `fetch()` answers, drawn by `draw(data, reload)`, and fetches it again every `millis` until
 * `onLeave` is called. A read model changes a moment after the events it follows, so a view refreshes while shown; it
 * redraws only when the data changed, so nothing moves under the operator's pointer. A failure is shown in place (and
 * the next success draws again). Answers `reload`, to fetch at once after an action changed the data.
 */
export async function refreshWhileShown(target, { fetch, draw, millis, onLeave }) {
  let shown = null;
  async function reload() {
    try {
      const data = await fetch();
      const fingerprint = JSON.stringify(data);
      if (fingerprint === shown) return;
      shown = fingerprint;
      render(target, draw(data, reload));
    } catch (error) {
      shown = null;
      render(target, errorBox(error));
    }
  }
  await reload();
  const timer = setInterval(reload, millis);
  onLeave(() => clearInterval(timer));
  return reload;
}

/** The banner after an action started a job: what started, and a link to that job on System Status. */
export function jobBanner(text, kind, jobId) {
  return h('p', { class: 'notice', role: 'status' }, text, ' ',
    h('a', { href: `#/status/${kind}?job=${encodeURIComponent(jobId)}` }, 'Follow it on System Status'));
}

/**
 * An id shown on demand: a small button that copies it. Its accessible name starts with its visible text ("Copy id")
 * and then says whose id it is, so a voice-control user can say what they see (WCAG 2.5.3).
 */
export function copyId(label, id) {
  const button = h('button', { type: 'button', class: 'link copy-id', 'aria-label': `Copy id of ${label} ${id}`,
    title: id, onclick: async () => {
      try {
        await navigator.clipboard.writeText(id);
        button.textContent = 'Copied';
      } catch {
        button.textContent = id;
      }
    } }, 'Copy id');
  return button;
}
