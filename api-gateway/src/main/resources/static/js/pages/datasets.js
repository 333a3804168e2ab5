// The datasets (GET /api/v1/datasets) and one dataset: its table's columns with their types and JSON paths, its
// rows and documents, and the files stored into it.

import {api} from '../api.js';
import {facts, fill, h, notice, table, time} from '../dom.js';

export function render(main, {params}) {
  if (params.length) {
    one(main, params[0]);
  } else {
    all(main);
  }
}

async function all(main) {
  document.title = 'Datasets · Stowage';
  const body = h('div', {}, h('p', {}, 'Loading…'));
  main.append(h('h1', {}, 'Datasets'), body);
  try {
    const datasets = await api('/api/v1/datasets');
    fill(body, datasets.length ? table('Datasets with at least one stored file',
      ['Dataset', 'Files', 'Records', 'Stored as', 'Last stored'],
      datasets.map((dataset) => h('tr', {},
        h('td', {}, h('a', {href: `#/datasets/${encodeURIComponent(dataset.name)}`}, dataset.name)),
        h('td', {class: 'number'}, dataset.files),
        h('td', {class: 'number'}, dataset.records),
        h('td', {}, [dataset.table ? 'SQL table' : null, dataset.documents ? 'JSONB documents' : null]
          .filter(Boolean).join(' and ')),
        h('td', {}, time(dataset.lastStoredAt)))), {id: 'datasets-table'})
      : h('p', {}, 'No dataset has a stored file yet.'));
  } catch (error) {
    fill(body, notice(`Could not read the datasets: ${error.message}`, 'error'));
  }
}

async function one(main, name) {
  document.title = `${name} · Datasets · Stowage`;
  const body = h('div', {}, h('p', {}, 'Loading…'));
  main.append(h('h1', {}, 'Dataset ', h('span', {class: 'name'}, name)), body);
  try {
    const dataset = await api(`/api/v1/datasets/${encodeURIComponent(name)}`);
    fill(body,
      facts([
        ['Table', dataset.table ? h('span', {class: 'mono'}, dataset.table) : 'none (documents only)'],
        ['Rows', dataset.table ? dataset.rows : null],
        ['JSONB documents', dataset.documents],
        ['Files', dataset.files.length],
      ]),
      dataset.columns.length ? table(`Columns of ${dataset.table}`, ['Column', 'Type', 'JSON path'],
        dataset.columns.map((column) => h('tr', {},
          h('td', {class: 'mono'}, column.name),
          h('td', {class: 'mono'}, column.type),
          h('td', {class: 'mono'}, column.path ? column.path.join(' › ') : '(system column)'))),
      {id: 'dataset-columns'}) : null,
      table('Files stored into the dataset', ['File', 'Stored as', 'Records'],
        dataset.files.map((file) => h('tr', {},
          h('td', {}, h('a', {href: `#/files/${file.fileId}`}, file.name)),
          h('td', {}, file.storage),
          h('td', {class: 'number'}, file.records)))));
  } catch (error) {
    fill(body, notice(error.status === 404 ? `There is no dataset ${name} with stored files.`
      : `Could not read the dataset: ${error.message}`, 'error'));
  }
}
