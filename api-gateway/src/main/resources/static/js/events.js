// A job's progress stream (GET /api/v1/jobs/{id}/events, Server-Sent Events) read with fetch() instead of
// EventSource: EventSource cannot send an Authorization header, and the key must not go into the URL. The
// stream is parsed as the HTML standard says, and after a dropped connection it reconnects with Last-Event-ID,
// so the gateway (this one or another) sends only what changed since.

import {authorization, refused} from './api.js';

/**
 * Watches a job until it ends or stop() is called.
 *
 * @param onEvent called with (name, data) for each event: 'progress' and, last, 'end'
 * @param onState called with 'live', 'reconnecting', 'ended', or ('failed', status, detail)
 * @returns stop()
 */
export function watchJob(jobId, {onEvent, onState}) {
  let lastEventId = '';
  let retry = 2000;
  let stopped = false;
  let controller = null;

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      let ended = false;
      try {
        const headers = {...authorization(), Accept: 'text/event-stream'};
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/events?files=true`,
          {headers, signal: controller.signal, cache: 'no-store'});
        if (response.status === 204) { // ended, and we have its final state
          onState('ended');
          return;
        }
        if (response.status === 401) {
          refused();
          return;
        }
        if (!response.ok) {
          let detail = `${response.status} ${response.statusText}`;
          try {
            detail = (await response.json()).detail || detail;
          } catch {
            // keep the status line
          }
          onState('failed', response.status, detail);
          if (response.status >= 400 && response.status < 500) return; // trying again would not help
        } else {
          onState('live');
          ended = await read(response.body);
          if (ended) {
            onState('ended');
            return;
          }
        }
      } catch (error) {
        if (stopped) return;
      }
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }

  /** Reads events until the stream closes; true if the last one was the job's final event. */
  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = {type: '', data: [], id: null};
    let ended = false;
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return ended;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop(); // an incomplete line waits for the rest
      for (const line of lines) {
        if (line === '') {
          if (event.id !== null) lastEventId = event.id;
          if (event.data.length) {
            const name = event.type || 'message';
            onEvent(name, JSON.parse(event.data.join('\n')));
            if (name === 'end') ended = true;
          }
          event = {type: '', data: [], id: null};
          continue;
        }
        if (line.startsWith(':')) continue; // a comment: the heartbeat
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? '' : line.slice(colon + 1);
        if (text.startsWith(' ')) text = text.slice(1);
        if (field === 'data') event.data.push(text);
        else if (field === 'event') event.type = text;
        else if (field === 'id' && !text.includes('\0')) event.id = text;
        else if (field === 'retry' && /^\d+$/.test(text)) retry = Number(text);
      }
    }
  }

  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
