// One file: where it went and why (the analysis report of GET /api/v1/files/{id}), its columns with their types
// and coverage, every attempt, and downloads of the original bytes and of the stored data. Refreshed while the
// file is still being worked on.

import {api, download} from '../api.js';
import {badge, bytes, facts, fill, h, notice, table, time} from '../dom.js';

const REFRESH_MS = 2000;

export function render(main, {params}) {
  const fileId = params[0];
  document.title = 'File · Stowage';
  const heading = h('h1', {}, 'File');
  const body = h('div', {id: 'file-body'}, h('p', {}, 'Loading…'));
  main.append(heading, body);
  let timer = null;
  let stopped = false;
  let shown = '';

  async function refresh() {
    try {
      const file = await api(`/api/v1/files/${encodeURIComponent(fileId)}`);
      const now = JSON.stringify(file);
      if (now !== shown) {
        shown = now;
        document.title = `${file.name} · Stowage`;
        fill(heading, 'File ', h('span', {id: 'file-name', class: 'name'}, file.name));
        fill(body, ...show(file));
      }
      if (!stopped && file.status !== 'DONE' && file.status !== 'FAILED') timer = setTimeout(refresh, REFRESH_MS);
    } catch (error) {
      fill(body, notice(error.status === 404 ? `There is no file ${fileId} for this key's tenant.`
        : `Could not read the file: ${error.message}`, 'error'));
    }
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function show(file) {
  const report = file.report;
  const message = h('div', {role: 'status'});
  const downloads = h('div', {class: 'actions'},
    h('button', {type: 'button', id: 'download-original',
      onclick: () => save(message, `/api/v1/files/${file.fileId}/content`, file.name)}, 'Download the original'),
    h('button', {type: 'button', id: 'download-data', disabled: file.status !== 'DONE',
      'aria-describedby': file.status !== 'DONE' ? 'data-help' : null,
      onclick: () => save(message, `/api/v1/files/${file.fileId}/data`, storedName(file))},
    'Download the stored data'),
    file.status !== 'DONE' ? h('span', {id: 'data-help', class: 'help'}, 'Stored data exists once the file is DONE.')
      : null,
    message);
  return [
    facts([
      ['Status', badge(file.status)],
      ['Job', h('a', {href: `#/jobs/${file.jobId}`, class: 'mono'}, file.jobId)],
      ['Size', bytes(file.sizeBytes)],
      ['Content type', file.contentType],
      ['Stored as', file.storage ? (file.storage === 'SQL' ? 'SQL table' : 'JSONB documents') : null],
      ['Table', file.table],
      ['Records', file.records],
      ['Error class', file.errorClass],
      ['Error', file.error ? h('span', {class: 'error-text'}, file.error) : null],
      ['Next attempt', time(file.nextAttemptAt)],
      ['Uploaded', time(file.createdAt)],
      ['Finished', time(file.finishedAt)],
    ]),
    downloads,
    report ? analysis(report) : h('section', {'aria-labelledby': 'analysis-heading'},
      h('h2', {id: 'analysis-heading'}, 'Analysis'),
      h('p', {}, file.status === 'FAILED' ? 'The file was not stored, so it has no analysis; the attempts say why.'
        : 'The analysis appears when a worker has stored the file.')),
    attempts(file.attempts || []),
  ];
}

async function save(message, path, name) {
  message.replaceChildren();
  try {
    await download(path, name);
  } catch (error) {
    message.replaceChildren(notice(`The download failed: ${error.message}`, 'error'));
  }
}

function storedName(file) {
  const base = file.name.replace(/\.[^.]*$/, '');
  return `${base}.stored.${file.name.endsWith('.ndjson') || file.name.endsWith('.jsonl') ? 'ndjson' : 'json'}`;
}

function percent(share) {
  return `${(share * 100).toFixed(1)}%`;
}

/** Why SQL or JSONB, in the worker's words, and the columns and key paths it found. */
function analysis(report) {
  const sql = report.decision === 'SQL';
  const records = report.records || 0;
  const parts = [
    h('h2', {id: 'analysis-heading'}, sql ? 'Why a SQL table' : 'Why JSONB'),
    h('ul', {id: 'analysis-reasons'}, (report.reasons || []).map((reason) => h('li', {}, reason))),
    facts([
      ['Shape', report.shape ? report.shape.replace('_', ' ').toLowerCase() : null],
      ['Records', records],
      ['Stored', report.perRecord ? 'one row or document per record' : 'the whole file as one document'],
      ['Nesting depth', report.depth],
      ['Coverage', sql ? `${percent(report.coverage)} of the values are in typed columns` : null],
      ['Map-like', report.mapLike ? `${report.mapLike.path} (${report.mapLike.keys} keys)` : null],
    ]),
  ];
  if (report.columns && report.columns.length) {
    parts.push(table('Typed columns: SQL type, JSON path, and the share of records that have a value there',
      ['Column', 'Type', 'JSON path', 'Values', 'Coverage'],
      report.columns.map((column) => h('tr', {},
        h('td', {class: 'mono'}, column.name),
        h('td', {class: 'mono'}, column.type),
        h('td', {class: 'mono'}, (column.path || []).join(' › ')),
        h('td', {class: 'number'}, column.values),
        h('td', {class: 'number'}, records ? percent(column.values / records) : ''))), {id: 'analysis-columns'}));
  }
  if (report.paths && report.paths.length) {
    parts.push(h('details', {},
      h('summary', {}, `All ${report.paths.length} key paths and their types`),
      table('Key paths found in the records: presence and the types of their values',
        ['Path', 'Presence', 'Types'],
        report.paths.map((path) => h('tr', {},
          h('td', {class: 'mono'}, path.path),
          h('td', {class: 'number'}, percent(path.presence)),
          h('td', {}, Object.entries(path.types || {}).map(([type, count]) => `${type} ${count}`).join(', ')))))));
  }
  return h('section', {'aria-labelledby': 'analysis-heading'}, parts);
}

/**
 * Every try with its worker, times, outcome and error. A RETRY went to the next retry tier (a longer wait); the
 * tier is the API's when it says so, else counted: the n-th RETRY since the start or since the last replay.
 */
function attempts(list) {
  let tier = 0;
  const rows = list.map((attempt) => {
    const retried = attempt.outcome === 'RETRY';
    tier = retried ? tier + 1 : (attempt.outcome === 'FAILED' ? 0 : tier);
    const shownTier = attempt.tier ?? attempt.retryTier ?? (retried ? tier : null);
    const took = attempt.endedAt ? `${((new Date(attempt.endedAt) - new Date(attempt.startedAt)) / 1000).toFixed(2)} s`
      : 'running';
    return h('tr', {},
      h('td', {class: 'number'}, attempt.attempt),
      h('td', {class: 'mono'}, attempt.worker),
      h('td', {}, time(attempt.startedAt)),
      h('td', {}, took),
      h('td', {}, attempt.outcome ? badge(attempt.outcome) : 'running'),
      h('td', {}, shownTier ? `tier ${shownTier}${attempt.retryDelay ? ` (${attempt.retryDelay})` : ''}` : ''),
      h('td', {class: 'error-text'}, attempt.error || ''));
  });
  return h('section', {'aria-labelledby': 'attempts-heading'},
    h('h2', {id: 'attempts-heading'}, 'Attempts'),
    rows.length ? table('Every attempt at the file, oldest first',
      ['#', 'Worker', 'Started', 'Took', 'Outcome', 'Retry', 'Error'], rows, {id: 'file-attempts'})
      : h('p', {}, 'No worker has tried the file yet.'));
}
