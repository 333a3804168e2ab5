// Building the page. Everything that came from a user or the API (file names, dataset names, error messages, JSON
// keys) goes in as text: h() makes text nodes of strings, and nothing in the console parses a string as markup
// (ConsoleSourcesTest checks). Attributes are set with setAttribute, so a value can never close the tag it is in.

/** h('a', {href: '#/jobs', class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name === 'value' || name === 'checked' || name === 'disabled' || name === 'selected') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.append(child);
    else element.append(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/**
 * A table in a keyboard-scrollable wrapper. On a phone's width each row is shown as a block of label: value lines
 * (console.css), the labels coming from each cell's data-label.
 */
export function table(caption, headings, rows, {id} = {}) {
  for (const row of rows) label(row, headings);
  const wrapper = h('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption},
    h('table', {id, class: 'stack'},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headings.map((heading) => h('th', {scope: 'col'}, heading)))),
      h('tbody', {}, rows)));
  return wrapper;
}

/** Gives a row's cells the headings of their columns, for the stacked layout of narrow screens. */
export function label(row, headings) {
  [...row.children].forEach((cell, index) => cell.setAttribute('data-label', headings[index] || ''));
  return row;
}

/** A description list of [term, value] pairs; pairs whose value is null or '' are left out. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))));
}

/** The status of a file or job as a labelled badge: the word is always there, the colour only helps. */
export function badge(status) {
  return h('span', {class: `badge badge-${String(status).toLowerCase()}`}, String(status).replace('_', ' '));
}

export function time(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return h('time', {datetime: iso}, date.toLocaleString());
}

export function bytes(count) {
  if (count === null || count === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A message in the page: role=alert for errors (read out at once), role=status for the rest. */
export function notice(text, kind = 'info') {
  return h('p', {class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status'}, text);
}

export function shortId(id) {
  return String(id).slice(0, 8);
}
