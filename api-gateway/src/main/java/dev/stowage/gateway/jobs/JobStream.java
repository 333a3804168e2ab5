// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One client's progress stream. Events are handed over without waiting ({@link #offer}) and written by the
 * senders' threads, so a slow client never holds up the watcher or the other streams; while one is still being
 * written, the next ones are merged into one ({@link JobEvent#then}), so a client that lags gets fewer, larger
 * events instead of an ever longer queue. Closes itself after the job's final event.
 */
final class JobStream {

    private final ResponseBodyEmitter emitter;
    private final Executor sender;
    private Runnable onClose = () -> {};

    /** The id of the last event this stream took (or the client had when it resumed): the same is not sent twice. */
    private @Nullable String lastId;

    /** Set while the stream waits for its first event from the watcher's next read; guarded by the watch. */
    boolean awaitingFirst;

    private @Nullable JobEvent pending;
    private boolean heartbeat;
    private boolean busy;
    private boolean closed;
    private final boolean withFiles;

    /**
     * @param lifetime after this the stream ends and the client reconnects with its last event id, so that no
     *     connection (and no proxy's) lives for ever
     * @param resumedFrom the client's {@code Last-Event-ID}
     * @param withFiles whether its events carry the files that changed, or only the job's status and counts
     */
    JobStream(Duration lifetime, Executor sender, @Nullable String resumedFrom, boolean withFiles) {
        this.withFiles = withFiles;
        this.emitter = new ResponseBodyEmitter(lifetime.toMillis());
        this.sender = sender;
        this.lastId = resumedFrom;
        emitter.onCompletion(this::closed);
        emitter.onError(error -> closed());
        emitter.onTimeout(this::finish);
    }

    ResponseBodyEmitter emitter() {
        return emitter;
    }

    /** Called once when the stream has closed, whichever side closed it. */
    void onClose(Runnable action) {
        this.onClose = action;
    }

    void offer(JobEvent event) {
        synchronized (this) {
            if (closed || event.id().equals(lastId)) {
                return;
            }
            lastId = event.id();
            pending = pending == null ? event : pending.then(event);
            if (busy) {
                return;
            }
            busy = true;
        }
        sender.execute(this::drain);
    }

    /** A comment, unless something is being written anyway. */
    void heartbeat() {
        synchronized (this) {
            if (closed || busy) {
                return;
            }
            heartbeat = true;
            busy = true;
        }
        sender.execute(this::drain);
    }

    /** Ends the stream, e.g. when the gateway shuts down: the client reconnects, to this gateway or another. */
    void finish() {
        try {
            emitter.complete();
        } catch (RuntimeException e) {
            // already completed, or the connection is gone: closed either way
        }
        closed();
    }

    private void drain() {
        while (true) {
            JobEvent event;
            synchronized (this) {
                event = pending;
                boolean beat = heartbeat;
                pending = null;
                heartbeat = false;
                if (closed || (event == null && !beat)) {
                    busy = false;
                    return;
                }
            }
            try {
                emitter.send(event == null ? JobEvent.HEARTBEAT : event.frame(withFiles), MediaType.TEXT_EVENT_STREAM);
            } catch (Exception e) { // the client went away (IOException), or the emitter completed meanwhile
                finish();
                return;
            }
            if (event != null && event.last()) {
                finish();
                return;
            }
        }
    }

    private void closed() {
        Runnable action;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            action = onClose;
        }
        action.run();
    }
}
