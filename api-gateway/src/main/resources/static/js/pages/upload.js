// Upload many files as one job: chosen with the file picker or dropped on the drop zone, with an optional dataset
// name; the bar shows the upload itself (XMLHttpRequest's upload events), then the job's page takes over.

import {upload} from '../api.js';
import {bytes, fill, h, notice} from '../dom.js';

export function render(main, {go}) {
  document.title = 'Upload · Stowage';
  let chosen = [];

  const input = h('input', {id: 'upload-files', name: 'files', type: 'file', multiple: true,
    accept: '.json,.ndjson,.jsonl,application/json,application/x-ndjson', 'aria-describedby': 'upload-help'});
  const list = h('ul', {id: 'upload-list', class: 'file-list'});
  const count = h('p', {id: 'upload-count', role: 'status'}, 'No files chosen.');
  const zone = h('div', {class: 'drop-zone', id: 'drop-zone'},
    h('label', {for: 'upload-files'}, 'JSON files'),
    input,
    h('p', {id: 'upload-help', class: 'help'},
      'Choose files, or drop them here. Each file becomes one file of the job (JSON or JSON Lines).'));
  const dataset = h('input', {id: 'upload-dataset', name: 'dataset', type: 'text', autocomplete: 'off',
    spellcheck: 'false', 'aria-describedby': 'dataset-help'});
  const submit = h('button', {type: 'submit', id: 'upload-submit'}, 'Upload');
  const clear = h('button', {type: 'button', class: 'secondary', onclick: () => choose([], true)}, 'Clear');
  const bar = h('progress', {id: 'upload-progress', max: 1, value: 0, hidden: true, 'aria-labelledby': 'upload-sent'});
  const sent = h('p', {id: 'upload-sent', role: 'status'});
  const message = h('div', {});

  function choose(files, replace = false) {
    chosen = replace ? [...files] : [...chosen, ...files];
    fill(list, chosen.slice(0, 200).map((file) => h('li', {}, h('span', {class: 'name'}, file.name), ' ',
      h('span', {class: 'help'}, bytes(file.size)))),
    chosen.length > 200 ? h('li', {}, `and ${chosen.length - 200} more`) : null);
    const total = chosen.reduce((sum, file) => sum + file.size, 0);
    count.textContent = chosen.length ? `${chosen.length} file${chosen.length === 1 ? '' : 's'} chosen, ${bytes(total)}.`
      : 'No files chosen.';
    submit.textContent = chosen.length ? `Upload ${chosen.length} file${chosen.length === 1 ? '' : 's'}` : 'Upload';
    if (replace) input.value = '';
  }

  input.addEventListener('change', () => {
    choose(input.files);
    input.value = ''; // the same file can be chosen again; the list keeps what was chosen
  });
  for (const name of ['dragenter', 'dragover']) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
  }
  for (const name of ['dragleave', 'drop']) {
    zone.addEventListener(name, () => zone.classList.remove('dragging'));
  }
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    choose(event.dataTransfer.files);
  });

  const form = h('form', {class: 'card', id: 'upload-form', novalidate: true},
    zone, count, list,
    h('label', {for: 'upload-dataset'}, 'Dataset (optional)'),
    dataset,
    h('p', {id: 'dataset-help', class: 'help'},
      'Files with the same dataset name are stored together, in one table or one set of documents.'),
    h('div', {class: 'actions'}, submit, clear),
    bar, sent, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    if (!chosen.length) {
      message.replaceChildren(notice('Choose at least one file.', 'error'));
      input.focus();
      return;
    }
    submit.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    try {
      const job = await upload(chosen, dataset.value.trim(), (loaded, total) => {
        bar.max = total;
        bar.value = loaded;
        sent.textContent = `${bytes(loaded)} of ${bytes(total)} sent (${Math.floor((loaded * 100) / total)}%).`;
      });
      sent.textContent = 'Uploaded. Opening the job…';
      go(`#/jobs/${job.jobId}`);
    } catch (error) {
      bar.hidden = true;
      sent.textContent = '';
      message.replaceChildren(notice(`The upload was refused: ${error.message}`, 'error'));
    } finally {
      submit.disabled = false;
    }
  });
  main.append(h('h1', {}, 'Upload'), form);
}
