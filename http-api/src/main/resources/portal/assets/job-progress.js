// System Status's progress bars, durations and throughput, drawn from a job's `summary` (the API computes it from the
// job's recorded figures; only a running job's elapsed time and rate so far use this browser's clock).
import { h, duration } from './dom.js';

const NUMBER = new Intl.NumberFormat();

/** 1,204 */
export function count(n) {
  return NUMBER.format(n ?? 0);
}

/** "2.5 MB" */
export function bytes(n) {
  if (n === undefined || n === null) return '';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A labelled bar: a native <progress> (role progressbar, value and max exposed to assistive technology) with its
 * words beside it. Without `value` it is indeterminate: work in flight whose end is not known.
 */
export function bar(label, text, value, max, extraClass) {
  const attrs = { 'aria-label': `${label}: ${text}`, max: max ?? undefined };
  if (value !== undefined && value !== null) attrs.value = Math.min(value, max);
  return h('div', { class: `bar ${extraClass ?? ''}`.trim() },
    h('progress', attrs),
    h('span', { class: 'bar-text' }, text));
}

/** The progress cell: per object type for backups, objects of total for downloads, the object for restores. */
export function progressCell(job) {
  const s = job.summary;
  if (!s || ['queued', 'awaiting_approval', 'rejected', 'expired'].includes(job.state)) return '—';
  if (job.kind === 'backup') return backupProgress(job, s);
  if (job.kind === 'download') return downloadProgress(job, s);
  return restoreProgress(job, s);
}

function backupProgress(job, s) {
  const total = s.typesTotal ?? s.types.length;
  const done = s.typesDone ?? 0;
  const parts = [];
  if (total > 0) {
    parts.push(bar('Object types', `${done} of ${total} object types`, done, total, 'overall'));
  }
  parts.push(h('ul', { class: 'type-progress' }, s.types.map((type) => typeRow(job, type))));
  return parts;
}

function typeRow(job, type) {
  const label = type.type;
  let text;
  let value;
  if (type.done) {
    text = `${count(type.objects)} objects read, done`;
    value = 1;
  } else if (type.running) {
    text = `${count(type.objects)} objects read so far`;
    value = undefined;
  } else {
    text = job.state === 'running' ? 'waiting' : `${count(type.objects)} objects read, not finished`;
    value = 0;
  }
  return h('li', { dataset: { type: type.type }, class: type.done ? 'done' : type.running ? 'running' : 'waiting' },
    h('span', { class: 'type-name' }, label), bar(label, text, value, 1));
}

function downloadProgress(job, s) {
  const total = s.objectsTotal;
  const text = total !== undefined
    ? `${count(s.objectsDone)} of ${count(total)} objects written`
    : `${count(s.objectsDone)} objects written`;
  const size = job.download?.sizeBytes;
  return [bar('Objects written', text, s.objectsDone, total ?? undefined),
    size !== undefined ? h('div', { class: 'sub' }, `ZIP of ${bytes(size)}`) : null];
}

function restoreProgress(job, s) {
  if (job.state === 'running') return bar('Restore', 'restoring the object', undefined, 1);
  const text = s.objectsDone === 1 ? '1 of 1 object restored' : 'object not restored';
  return bar('Restore', text, s.objectsDone, 1);
}

/** Duration and throughput: exact once the job ended; while it runs, the time so far by this browser's clock. */
export function durationCell(job) {
  const s = job.summary;
  if (job.durationMillis !== undefined && job.durationMillis !== null) {
    return [h('div', {}, duration(job.durationMillis)),
      s?.objectsPerSecond !== undefined ? h('div', { class: 'sub rate' }, `${rate(s.objectsPerSecond)} objects/s`)
        : null];
  }
  if (job.startedAt && !job.finishedAt) {
    const elapsed = Math.max(0, Date.now() - new Date(job.startedAt).getTime());
    const soFar = s && elapsed > 0 && s.objectsDone > 0 ? s.objectsDone * 1000 / elapsed : undefined;
    return [h('div', {}, `${duration(elapsed)} so far`),
      soFar !== undefined ? h('div', { class: 'sub rate' }, `about ${rate(soFar)} objects/s`) : null];
  }
  return '—';
}

function rate(perSecond) {
  return perSecond >= 100 ? count(Math.round(perSecond)) : perSecond.toFixed(1);
}
