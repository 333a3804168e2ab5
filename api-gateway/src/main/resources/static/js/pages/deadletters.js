// Dead letters (ADMIN keys only; the router does not show this page to others, the API refuses them anyway):
// the files that failed for good and why, filtered by job and error class; replay one, or all that match.

import {api} from '../api.js';
import {fill, h, notice, shortId, table, time} from '../dom.js';

export function render(main, {query, go}) {
  document.title = 'Dead letters · Stowage';
  const jobId = query.get('jobId') || '';
  const errorClass = query.get('errorClass') || '';
  const filter = new URLSearchParams();
  if (jobId) filter.set('jobId', jobId);
  if (errorClass) filter.set('errorClass', errorClass);
  const suffix = filter.toString() ? `?${filter}` : '';

  const jobInput = h('input', {id: 'dl-job', name: 'jobId', type: 'text', value: jobId, autocomplete: 'off',
    spellcheck: 'false', class: 'mono'});
  const classInput = h('input', {id: 'dl-class', name: 'errorClass', type: 'text', value: errorClass,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'dl-class-help'});
  const filters = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter dead letters'},
    h('div', {class: 'field'}, h('label', {for: 'dl-job'}, 'Job id'), jobInput),
    h('div', {class: 'field'}, h('label', {for: 'dl-class'}, 'Error class'), classInput,
      h('span', {id: 'dl-class-help', class: 'help'}, 'e.g. InvalidJson, LockTimeout')),
    h('button', {type: 'submit'}, 'Filter'));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (jobInput.value.trim()) next.set('jobId', jobInput.value.trim());
    if (classInput.value.trim()) next.set('errorClass', classInput.value.trim());
    go(`#/dead-letters${next.toString() ? `?${next}` : ''}`);
  });

  const message = h('div', {id: 'dl-message'});
  const body = h('div', {id: 'dl-body'}, h('p', {}, 'Loading…'));
  main.append(h('h1', {}, 'Dead letters'), filters, message, body);

  async function load() {
    try {
      const page = await api(`/api/v1/admin/dead-letters${suffix}`);
      show(page);
    } catch (error) {
      fill(body, notice(`Could not read the dead letters: ${error.message}`, 'error'));
    }
  }

  function show(page) {
    const list = page.deadLetters;
    let confirming = false;
    const replayAll = h('button', {type: 'button', id: 'dl-replay-all', class: 'secondary'},
      `Replay all ${suffix ? 'matching' : ''} failed files`);
    // Two steps instead of a dialog: the first press asks, the second replays.
    replayAll.addEventListener('click', async () => {
      if (!confirming) {
        confirming = true;
        replayAll.textContent = `Press again to replay ${suffix ? 'every matching' : 'every'} failed file`;
        return;
      }
      replayAll.disabled = true;
      await replay(`/api/v1/admin/dead-letters/replay${suffix}`);
    });
    fill(body,
      h('p', {}, `${page.messagesInQueue} message${page.messagesInQueue === 1 ? '' : 's'} in `,
        h('span', {class: 'mono'}, page.queue), '.'),
      list.length ? [
        table('Failed files, most recent first', ['File', 'Job', 'Attempts', 'Error class', 'Error', 'Failed', ''],
          list.map((dead) => h('tr', {'data-file-id': dead.fileId},
            h('td', {}, h('a', {href: `#/files/${dead.fileId}`}, dead.name)),
            h('td', {}, h('a', {href: `#/jobs/${dead.jobId}`, class: 'mono'}, shortId(dead.jobId))),
            h('td', {class: 'number'}, dead.attempts),
            h('td', {}, dead.errorClass || ''),
            h('td', {class: 'error-text'}, dead.error || ''),
            h('td', {}, time(dead.failedAt)),
            h('td', {}, h('button', {type: 'button', class: 'replay',
              'aria-label': `Replay ${dead.name}`,
              onclick: () => replay(`/api/v1/admin/dead-letters/${dead.fileId}/replay`)}, 'Replay')))),
          {id: 'dl-table'}),
        h('div', {class: 'actions'}, replayAll),
      ] : h('p', {}, suffix ? 'No failed file matches these filters.' : 'No failed files.'));
  }

  async function replay(path) {
    message.replaceChildren();
    try {
      const result = await api(path, {method: 'POST'});
      message.replaceChildren(notice(`Replayed ${result.replayed} file${result.replayed === 1 ? '' : 's'}`
        + ` (${result.removedFromQueue} taken out of the queue). Each has a fresh retry budget.`));
    } catch (error) {
      message.replaceChildren(notice(`The replay failed: ${error.message}`, 'error'));
    }
    await load();
  }

  load();
}
