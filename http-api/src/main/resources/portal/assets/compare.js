// Compare on the object page: a snapshot beside another snapshot or beside the live object, from the compare API.
import { h, render, when, errorBox, table, copyId } from './dom.js';
import { get, apiPath } from './api.js';

const CHANGE_WORDS = { changed: 'Changed', added: 'Added', removed: 'Removed', unchanged: 'Same' };
const LIVE_STATES = {
  live: 'in the directory',
  soft_deleted: 'in the recycle bin',
  gone: 'deleted for good',
  deleted: 'deleted',
};

/** Fetches the comparison of `from` with `to` (a versionId or 'live') of the object at `base` into `target`. */
export async function showComparison(target, base, from, to) {
  render(target, h('p', { class: 'empty' }, 'Comparing…'));
  try {
    const result = await get(base + apiPath`/compare?from=${from}&to=${to}`);
    render(target, comparison(result));
    // The differences appear below the form: bring them into view (on a phone they start off screen).
    target.scrollIntoView({ block: 'start' });
  } catch (error) {
    render(target, errorBox(error));
  }
}

function comparison(result) {
  const left = sideName(result.from);
  const right = sideName(result.to);
  const changed = result.properties.filter((row) => row.change !== 'unchanged');
  const showAll = h('input', { type: 'checkbox', id: 'compare-unchanged' });
  const properties = h('div', { id: 'compare-properties' });
  const draw = () => render(properties, table(['Property', left, right, 'Change'],
    (showAll.checked ? result.properties : changed).map((row) => propertyRow(row)),
    'No property differs.'));
  showAll.addEventListener('change', draw);
  draw();
  return h('section', { class: 'comparison', 'aria-labelledby': 'compare-heading' },
    h('h2', { id: 'compare-heading' }, 'Differences'),
    h('p', { class: 'sub', id: 'compare-summary' }, summary(result)),
    h('label', { class: 'check', for: showAll.id }, showAll, ' Show unchanged properties'),
    properties,
    result.relations.map((relation) => relationView(relation)));
}

function sideName(side) {
  if (side.kind === 'live') return `Live object (${LIVE_STATES[side.state] ?? side.state})`;
  const state = side.state === 'live' ? '' : ` (${LIVE_STATES[side.state] ?? side.state})`;
  return `Snapshot of ${when(side.capturedAt)}${state}`;
}

function summary(result) {
  const count = (change) => result.properties.filter((row) => row.change === change).length;
  const parts = [`${count('changed')} changed`, `${count('added')} added`, `${count('removed')} removed`]
    .join(', ') + ' properties';
  const relations = result.relations.map((r) => `${r.relation}: ${r.addedCount} added, ${r.removedCount} removed`);
  return [parts, ...relations].join(' · ');
}

function propertyRow(row) {
  return h('tr', { class: `change-${row.change}`, 'data-property': row.name },
    h('td', { class: 'property mono' }, row.name),
    h('td', { class: 'value' }, value(row, 'before')),
    h('td', { class: 'value' }, value(row, 'after')),
    h('td', { class: 'change' }, CHANGE_WORDS[row.change] ?? row.change));
}

function value(row, side) {
  if (!(side in row)) return h('span', { class: 'empty' }, 'not set');
  const data = row[side];
  if (data === null) return h('span', { class: 'empty' }, 'empty');
  return h('span', { class: 'mono' }, typeof data === 'string' ? data : JSON.stringify(data));
}

function relationView(relation) {
  const rows = [
    ...relation.added.map((member) => memberRow(member, 'added')),
    ...relation.removed.map((member) => memberRow(member, 'removed')),
  ];
  const unlisted = relation.addedCount - relation.added.length + relation.removedCount - relation.removed.length;
  return h('div', { class: 'relation', 'data-relation': relation.relation },
    h('h3', {}, relation.relation === 'owners' ? 'Owners' : 'Members'),
    h('p', { class: 'sub' }, `${relation.addedCount} added · ${relation.removedCount} removed · `
      + `${relation.unchanged} on both sides`),
    table(['Name', 'Change'], rows, `No ${relation.relation} differ.`),
    unlisted > 0 ? h('p', { class: 'sub' }, `${unlisted} more not listed here (the counts above are exact).`) : null);
}

function memberRow(member, change) {
  const name = member.displayName ?? `Not in any backup${member.type ? ` (${member.type})` : ''}`;
  return h('tr', { class: `change-${change}`, 'data-member': member.id },
    h('td', {}, h('span', { class: 'name' }, name),
      member.principalName ? h('span', { class: 'sub second-line' }, member.principalName) : null,
      ' ', copyId(member.displayName ?? 'member', member.id)),
    h('td', { class: 'change' }, CHANGE_WORDS[change]));
}
