// The console: hash routes (#/jobs, #/jobs/<id>, ...), one module per page. A page's render() gets the <main>
// element and the route's parameters, and may return a function that stops what it started (polling, a stream)
// when the user goes elsewhere.

import {session, whenUnauthorized} from './api.js';
import {fill, h} from './dom.js';
import * as signIn from './pages/signin.js';
import * as jobs from './pages/jobs.js';
import * as job from './pages/job.js';
import * as file from './pages/file.js';
import * as upload from './pages/upload.js';
import * as datasets from './pages/datasets.js';
import * as deadLetters from './pages/deadletters.js';

const routes = [
  {pattern: /^\/sign-in$/, page: signIn, public: true},
  {pattern: /^\/jobs$/, page: jobs, nav: 'jobs'},
  {pattern: /^\/jobs\/([^/]+)$/, page: job, nav: 'jobs'},
  {pattern: /^\/files\/([^/]+)$/, page: file, nav: 'jobs'},
  {pattern: /^\/upload$/, page: upload, nav: 'upload'},
  {pattern: /^\/datasets$/, page: datasets, nav: 'datasets'},
  {pattern: /^\/datasets\/([^/]+)$/, page: datasets, nav: 'datasets'},
  {pattern: /^\/dead-letters$/, page: deadLetters, nav: 'dead-letters', admin: true},
];

const links = [
  {nav: 'jobs', href: '#/jobs', text: 'Jobs'},
  {nav: 'upload', href: '#/upload', text: 'Upload'},
  {nav: 'datasets', href: '#/datasets', text: 'Datasets'},
  {nav: 'dead-letters', href: '#/dead-letters', text: 'Dead letters', admin: true},
];

const main = document.getElementById('main');
let stopPage = null;

/** '#/jobs?status=DONE' -> {path: '/jobs', query: URLSearchParams} */
function location() {
  const hash = window.location.hash.slice(1) || '/jobs';
  const question = hash.indexOf('?');
  return {
    path: question < 0 ? hash : hash.slice(0, question),
    query: new URLSearchParams(question < 0 ? '' : hash.slice(question + 1)),
  };
}

export function go(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

function header(current) {
  const me = session.me();
  fill(document.getElementById('nav'), me ? links
    .filter((link) => !link.admin || session.isAdmin())
    .map((link) => h('li', {}, h('a', {href: link.href, 'aria-current': link.nav === current ? 'page' : null},
      link.text))) : []);
  fill(document.getElementById('who'), me ? [
    h('span', {class: 'who-text'}, `${me.tenant} · ${me.role} · ${me.keyName}`),
    h('button', {type: 'button', class: 'secondary', onclick: signOut}, 'Sign out'),
  ] : []);
}

function signOut() {
  session.end();
  go('#/sign-in');
}

function route() {
  if (stopPage) stopPage();
  stopPage = null;
  const {path, query} = location();
  const match = routes.map((r) => ({r, m: r.pattern.exec(path)})).find(({m}) => m);
  if (!session.key() && !(match && match.r.public)) {
    go('#/sign-in');
    return;
  }
  header(match?.r.nav);
  main.replaceChildren();
  // A USER key is not shown that the ADMIN pages exist: the same answer as any unknown page.
  if (!match || (match.r.admin && !session.isAdmin())) {
    document.title = 'Not found · Stowage';
    fill(main, h('h1', {tabindex: -1}, 'Page not found'),
      h('p', {}, 'There is no such page. ', h('a', {href: '#/jobs'}, 'Go to the jobs.')));
    focusHeading();
    return;
  }
  const params = match.m.slice(1).map(decodeURIComponent);
  stopPage = match.r.page.render(main, {params, query, go}) || null;
  focusHeading();
}

/** After a page change, focus its heading: a screen reader announces the new page, Tab starts from there. */
function focusHeading() {
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: true});
  }
}

whenUnauthorized(() => {
  session.end();
  sessionStorage.setItem('stowage.signin-reason', 'The API no longer accepts that key. Sign in again.');
  go('#/sign-in');
});

document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault(); // the hash belongs to the router
  main.focus();
});
window.addEventListener('hashchange', route);
route();
