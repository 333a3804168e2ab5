// The jobs, newest first, refreshed every few seconds while the tab is visible; filtered by status and dataset.

import {api} from '../api.js';
import {badge, fill, h, notice, shortId, table, time} from '../dom.js';

const STATUSES = ['QUEUED', 'PROCESSING', 'DONE', 'PARTIALLY_FAILED', 'FAILED', 'CANCELLED'];
const REFRESH_MS = 3000;
const SIZE = 20;

export function render(main, {query, go}) {
  document.title = 'Jobs · Stowage';
  const status = query.get('status') || '';
  const dataset = query.get('dataset') || '';
  const page = Math.max(0, Number.parseInt(query.get('page') || '0', 10) || 0);

  const statusSelect = h('select', {id: 'filter-status', name: 'status'},
    h('option', {value: ''}, 'Any status'),
    STATUSES.map((s) => h('option', {value: s, selected: s === status}, s.replace('_', ' '))));
  const datasetInput = h('input', {id: 'filter-dataset', name: 'dataset', type: 'text', value: dataset,
    autocomplete: 'off', spellcheck: 'false'});
  const filters = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter jobs'},
    h('div', {class: 'field'}, h('label', {for: 'filter-status'}, 'Status'), statusSelect),
    h('div', {class: 'field'}, h('label', {for: 'filter-dataset'}, 'Dataset'), datasetInput),
    h('button', {type: 'submit'}, 'Filter'));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    go(`#/jobs${search({status: statusSelect.value, dataset: datasetInput.value.trim()})}`);
  });

  const results = h('div', {id: 'jobs-results', 'aria-live': 'off'});
  const pager = h('nav', {class: 'pager', 'aria-label': 'Pages of jobs'});
  main.append(h('h1', {}, 'Jobs'), filters, results, pager);

  let shown = '';
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const answer = await api(`/api/v1/jobs${search({status, dataset, page: page || '', size: SIZE})}`);
      // Until every gateway filters by dataset itself, filter here too: the same rows either way.
      const jobs = answer.jobs.filter((job) => !dataset || job.dataset === dataset);
      const now = JSON.stringify(jobs);
      if (now !== shown) {
        shown = now;
        show(jobs, answer.jobs.length);
      }
    } catch (error) {
      fill(results, notice(`Could not read the jobs: ${error.message}`, 'error'));
      shown = '';
    }
    if (!stopped) timer = setTimeout(refresh, document.hidden ? REFRESH_MS * 5 : REFRESH_MS);
  }

  function show(jobs, pageLength) {
    // Rebuilt when something changed; the focus stays on the same job's link.
    const focused = document.activeElement?.dataset?.jobId;
    if (!jobs.length) {
      fill(results, h('p', {}, status || dataset ? 'No job matches these filters.' : 'No jobs yet. ',
        status || dataset ? null : h('a', {href: '#/upload'}, 'Upload files.')));
    } else {
      fill(results, table('Jobs, newest first', ['Job', 'Dataset', 'Status', 'Progress', 'Created'],
        jobs.map((job) => h('tr', {},
          h('td', {}, h('a', {href: `#/jobs/${job.jobId}`, 'data-job-id': job.jobId, class: 'mono'},
            shortId(job.jobId))),
          h('td', {}, job.dataset || '—'),
          h('td', {}, badge(job.status)),
          h('td', {}, `${job.progress.done + job.progress.failed}/${job.progress.total}`,
            job.progress.failed ? ` (${job.progress.failed} failed)` : ''),
          h('td', {}, time(job.createdAt)))), {id: 'jobs-table'}));
    }
    fill(pager,
      page > 0 ? h('a', {href: `#/jobs${search({status, dataset, page: page - 1 || ''})}`}, '← Newer') : null,
      pageLength === SIZE ? h('a', {href: `#/jobs${search({status, dataset, page: page + 1})}`}, 'Older →') : null);
    if (focused) results.querySelector(`[data-job-id="${CSS.escape(focused)}"]`)?.focus();
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function search(values) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== '' && value !== null && value !== undefined) query.set(name, value);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
