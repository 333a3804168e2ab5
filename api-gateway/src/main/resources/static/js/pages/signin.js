// Sign in with an API key: checked by GET /api/v1/me, then kept in sessionStorage for this tab only.

import {api, ApiError, session} from '../api.js';
import {h, notice} from '../dom.js';

export function render(main, {go}) {
  document.title = 'Sign in · Stowage';
  const reason = sessionStorage.getItem('stowage.signin-reason');
  sessionStorage.removeItem('stowage.signin-reason');
  const message = h('div', {id: 'sign-in-message'}, reason ? notice(reason, 'error') : null);
  const key = h('input', {
    id: 'api-key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false',
    'aria-describedby': 'api-key-help',
  });
  const submit = h('button', {type: 'submit'}, 'Sign in');
  const form = h('form', {class: 'card narrow', novalidate: true},
    h('label', {for: 'api-key'}, 'API key'),
    key,
    h('p', {id: 'api-key-help', class: 'help'},
      'The key is kept in this tab only and sent in a header, never in a URL.'),
    submit,
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) {
      message.replaceChildren(notice('Enter an API key.', 'error'));
      key.focus();
      return;
    }
    submit.disabled = true;
    try {
      const me = await api('/api/v1/me', {key: value});
      session.start(value, me);
      go('#/jobs');
    } catch (error) {
      const text = error instanceof ApiError && error.status === 401
        ? 'That key is not accepted.' : `Could not sign in: ${error.message}`;
      message.replaceChildren(notice(text, 'error'));
      key.focus();
    } finally {
      submit.disabled = false;
    }
  });
  main.append(h('h1', {}, 'Sign in'), form);
  if (session.key()) {
    main.append(h('p', {}, 'You are signed in. ', h('a', {href: '#/jobs'}, 'Go to the jobs.')));
  }
}
