// One job, live: the progress bar, the counts and the files' table follow the job's event stream (events.js);
// each event carries the counts and only the files that changed, which are updated in place.

import {api, session} from '../api.js';
import {badge, fill, h, label, notice} from '../dom.js';

const COLUMNS = ['Name', 'Status', 'Attempts', 'Storage', 'Table', 'Records', 'Error'];
import {watchJob} from '../events.js';

/** "23/100 done, 2 processing, 75 queued" (with retrying, failed and cancelled when there are any). */
export function summary(progress) {
  const parts = [`${progress.done}/${progress.total} done`];
  for (const name of ['processing', 'queued', 'retrying', 'failed', 'cancelled']) {
    if (progress[name]) parts.push(`${progress[name]} ${name}`);
  }
  return parts.join(', ');
}

export function render(main, {params}) {
  const jobId = params[0];
  document.title = 'Job · Stowage';
  const statusBadge = h('span', {id: 'job-status'});
  const heading = h('h1', {}, 'Job ', h('span', {class: 'mono'}, jobId.slice(0, 8)), ' ', statusBadge);
  const connection = h('p', {id: 'job-connection', class: 'help', role: 'status'}, 'Connecting…');
  const bar = h('progress', {id: 'job-progress', max: 1, value: 0, 'aria-labelledby': 'job-summary'});
  const text = h('p', {id: 'job-summary', class: 'summary', 'aria-live': 'polite'}, '');
  const details = h('div', {id: 'job-details'});
  const cancelButton = h('button', {id: 'job-cancel', type: 'button', hidden: true}, 'Cancel job');
  const cancelNotice = h('div', {id: 'job-cancel-notice'});
  cancelButton.addEventListener('click', async () => {
    if (!confirm('Cancel this job? Files not started yet will not be processed; files being processed finish.')) {
      return;
    }
    cancelButton.disabled = true;
    try {
      update(await api(`/api/v1/jobs/${encodeURIComponent(jobId)}/cancel`, {method: 'POST'}));
      fill(cancelNotice);
    } catch (error) {
      fill(cancelNotice, notice(`The job was not cancelled: ${error.message}`, 'error'));
      cancelButton.disabled = false;
    }
  });
  const rows = new Map(); // file id -> the row's cells
  const tbody = h('tbody', {});
  const files = h('section', {'aria-labelledby': 'files-heading'},
    h('h2', {id: 'files-heading'}, 'Files'),
    h('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Files of the job'},
      h('table', {id: 'job-files', class: 'stack'},
        h('caption', {}, 'Files in upload order; the table follows the job live'),
        h('thead', {}, h('tr', {}, COLUMNS.map((name) => h('th', {scope: 'col'}, name)))),
        tbody)));
  main.append(heading, connection, h('div', {class: 'card'}, bar, text, cancelButton, cancelNotice), details, files);

  function update(data) {
    fill(statusBadge, badge(data.status));
    bar.max = data.progress.total;
    bar.value = data.progress.done + data.progress.failed + (data.progress.cancelled ?? 0);
    text.textContent = summary(data.progress);
    // Offered while something of the job may still be stopped; a cancelled job shows when its cancel took effect.
    cancelButton.hidden = Boolean(data.cancelledAt) || ['DONE', 'PARTIALLY_FAILED', 'FAILED', 'CANCELLED']
      .includes(data.status);
    fill(details, h('p', {},
      data.dataset ? ['Dataset ', h('a', {href: `#/datasets/${encodeURIComponent(data.dataset)}`}, data.dataset),
        '. '] : 'No dataset name: each file has its own table. ',
      data.cancelledAt ? `Cancelled at ${new Date(data.cancelledAt).toLocaleString()}: files not started then are not processed. ` : null,
      data.progress.failed && session.isAdmin()
        ? h('a', {href: `#/dead-letters?jobId=${encodeURIComponent(data.jobId)}`}, 'Review the failed files.')
        : null));
    for (const file of data.files) {
      let row = rows.get(file.id);
      if (!row) {
        row = {
          name: h('td', {}, h('a', {href: `#/files/${file.id}`}, file.name)),
          status: h('td', {}), attempts: h('td', {class: 'number'}), storage: h('td', {}), table: h('td', {}),
          records: h('td', {class: 'number'}), error: h('td', {class: 'error-text'}),
        };
        rows.set(file.id, row);
        tbody.append(label(h('tr', {'data-file-id': file.id}, Object.values(row)), COLUMNS));
      }
      fill(row.status, badge(file.status));
      row.attempts.textContent = file.attempts;
      row.storage.textContent = file.storage || '';
      row.table.textContent = file.table || '';
      row.records.textContent = file.records ?? '';
      row.error.textContent = file.error || '';
    }
  }

  const stop = watchJob(jobId, {
    onEvent: (name, data) => update(data),
    onState: (state, status, detail) => {
      connection.dataset.state = state;
      if (state === 'live') connection.textContent = 'Live: updates as the workers go.';
      else if (state === 'reconnecting') connection.textContent = 'Connection lost; reconnecting…';
      else if (state === 'ended') connection.textContent = 'The job has ended.';
      else if (status === 404) fill(main, h('h1', {tabindex: -1}, 'Job not found'),
        notice(`There is no job ${jobId} for this key's tenant.`, 'error'));
      else connection.replaceChildren(notice(`The job's progress cannot be followed: ${detail}`, 'error'));
    },
  });
  return stop;
}
