// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import dev.stowage.gateway.system.ApiProblem;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's one watcher of the jobs that have progress streams open. PostgreSQL says which job changed
 * ({@link JobChanges}, whoever changed it: any worker, any gateway); the watcher then reads the job once, at most
 * every {@link #MIN_INTERVAL} per job however many changes came meanwhile, and hands the same event to every
 * stream of that job. So the database and the CPU pay per watched job and change, not per stream; a job nobody
 * watches costs nothing.
 *
 * <p>A stream's first event is the job's whole state, unless the client resumes with the current event id; the
 * events after it carry the counts and the files that changed. When the job has ended, its final event closes
 * the streams.
 */
@Component
class JobWatcher implements JobChanges.Listener {

    /** At most this often a watched job is read again and an event sent: bursts of changes make one event. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(250);

    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** After a read failed (the database is away), the next try. */
    static final Duration RETRY = Duration.ofSeconds(2);
    /** Long enough to watch any job; then the client reconnects with its last event id and misses nothing. */
    static final Duration LIFETIME = Duration.ofMinutes(30);

    private final JobViews views;
    private final JobChanges changes;
    private final JsonMapper json;
    private final Map<UUID, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reader = Executors.newScheduledThreadPool(2, daemon("job-watcher"));
    /** Writes to the clients; a few threads, since a write only blocks while a client's socket buffer is full. */
    private final ExecutorService senders = Executors.newFixedThreadPool(4, daemon("job-events"));

    JobWatcher(JobViews views, JobChanges changes, JsonMapper json) {
        this.views = views;
        this.changes = changes;
        this.json = json;
        changes.subscribe(this);
        reader.scheduleAtFixedRate(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One watched job: its last state read, and its streams. */
    private static final class Watch {
        final UUID jobId;
        /** The job's tenant, known from the first read that found it (a job never changes tenant). */
        @Nullable
        String tenant;

        JobViews.@Nullable Fresh current;
        /** {@link #changes} when {@link #current} was read: unchanged since if still equal. */
        long readAt = -1;

        @Nullable
        JobEvent full;

        final List<JobStream> streams = new ArrayList<>();
        boolean removed;

        /** Counts the notifications; read without the lock, so the notifying thread never waits for a read. */
        final AtomicLong changes = new AtomicLong();

        final AtomicBoolean scheduled = new AtomicBoolean();
        volatile long lastRead = System.nanoTime() - MIN_INTERVAL.toNanos();

        Watch(UUID jobId) {
            this.jobId = jobId;
        }
    }

    /**
     * Opens a stream of the job for the caller's tenant.
     *
     * @param lastEventId the client's {@code Last-Event-ID}, if it resumes
     * @param withFiles whether the stream's events carry the files that changed
     * @return the stream; null if the job has ended and the client already has its final state
     * @throws ApiProblem 404 if the tenant has no such job
     */
    @Nullable
    ResponseBodyEmitter open(String tenant, UUID jobId, @Nullable String lastEventId, boolean withFiles) {
        String resumed = lastEventId == null ? null : JobEvent.unquoted(lastEventId.strip());
        while (true) {
            Watch watch = watches.computeIfAbsent(jobId, Watch::new);
            synchronized (watch) {
                if (watch.removed) {
                    continue; // its last stream just closed: take the next watch of the job
                }
                if (watch.tenant != null && !watch.tenant.equals(tenant)) {
                    throw ApiProblem.notFound("job", jobId);
                }
                // A new watch reads the job. An existing one may hold a state older than the last change: that
                // change has scheduled a read, and this stream gets its first event from it, so streams opening
                // together cost one read. Without notifications, or to answer 204, only a fresh state will do.
                boolean fresh = fresh(watch);
                boolean read = watch.current == null || !changes.listening() || (!fresh && ended(watch));
                try {
                    if (read && !advance(watch, tenant)) {
                        removeIfIdle(watch);
                        throw ApiProblem.notFound("job", jobId);
                    }
                } catch (RuntimeException e) {
                    removeIfIdle(watch);
                    throw e;
                }
                JobViews.Fresh now = watch.current;
                boolean ended = now.job().progress().ended();
                boolean upToDate = JobEvent.unquoted(now.view().etag()).equals(resumed);
                if (ended && upToDate) {
                    removeIfIdle(watch);
                    return null;
                }
                JobStream stream = new JobStream(LIFETIME, senders, resumed, withFiles);
                if (read || fresh) {
                    stream.offer(full(watch)); // the final event too when the job has ended: then it closes
                } else {
                    stream.awaitingFirst = true;
                }
                if (ended && !stream.awaitingFirst) {
                    removeIfIdle(watch);
                } else {
                    watch.streams.add(stream);
                    stream.onClose(() -> leave(watch, stream));
                }
                return stream.emitter();
            }
        }
    }

    @Override
    public void changed(UUID jobId) {
        Watch watch = watches.get(jobId);
        if (watch != null) {
            watch.changes.incrementAndGet();
            schedule(watch);
        }
    }

    @Override
    public void forgetAll() {
        watches.values().forEach(watch -> changed(watch.jobId));
    }

    /** Reads the job once, soon: right away if it was last read long enough ago, else when it will have been. */
    private void schedule(Watch watch) {
        if (watch.scheduled.compareAndSet(false, true)) {
            long wait = watch.lastRead + MIN_INTERVAL.toNanos() - System.nanoTime();
            reader.schedule(() -> update(watch), Math.max(0, wait), TimeUnit.NANOSECONDS);
        }
    }

    private void update(Watch watch) {
        watch.scheduled.set(false); // a change from here on schedules the next read
        List<JobStream> orphans = List.of();
        try {
            synchronized (watch) {
                if (watch.removed || watch.tenant == null) {
                    return;
                }
                if (!advance(watch, watch.tenant)) { // the job is gone: nothing more will come
                    orphans = List.copyOf(watch.streams);
                }
            }
        } catch (RuntimeException e) {
            // The database is away: try again a little later; the streams stay open meanwhile.
            reader.schedule(() -> changed(watch.jobId), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
        orphans.forEach(JobStream::finish);
    }

    /**
     * Reads the job and hands its open streams what changed since the state they were sent last. Called with the
     * watch's lock held, by the scheduled reads and by a new stream that found the state out of date.
     *
     * @return false if the tenant has no such job
     */
    private boolean advance(Watch watch, String tenant) {
        JobViews.Fresh before = watch.current;
        long changesBefore = watch.changes.get();
        watch.lastRead = System.nanoTime();
        Optional<JobViews.Fresh> read = views.read(tenant, watch.jobId);
        if (read.isEmpty()) {
            return false;
        }
        JobViews.Fresh after = read.get();
        watch.tenant = tenant;
        watch.current = after;
        watch.readAt = changesBefore;
        boolean changed =
                before != null && !before.view().etag().equals(after.view().etag());
        if (changed) {
            watch.full = null;
        }
        JobEvent difference = changed ? JobEvent.changes(json, before, after) : null;
        for (JobStream stream : watch.streams) {
            if (stream.awaitingFirst) {
                stream.awaitingFirst = false;
                stream.offer(full(watch));
            } else if (difference != null) {
                stream.offer(difference);
            }
        }
        return true;
    }

    /** The whole current state as an event, made once per state for all the streams that start with it. */
    private JobEvent full(Watch watch) {
        if (watch.full == null) {
            watch.full = JobEvent.full(json, watch.current);
        }
        return watch.full;
    }

    /** Whether the watch's state was read after the last change notified, and no change can have been missed. */
    private boolean fresh(Watch watch) {
        return watch.current != null && watch.readAt == watch.changes.get() && changes.listening();
    }

    private static boolean ended(Watch watch) {
        return watch.current != null && watch.current.job().progress().ended();
    }

    private void leave(Watch watch, JobStream stream) {
        synchronized (watch) {
            watch.streams.remove(stream);
            removeIfIdle(watch);
        }
    }

    /** Called with the watch's lock held. */
    private void removeIfIdle(Watch watch) {
        if (watch.streams.isEmpty() && !watch.removed) {
            watch.removed = true;
            watches.remove(watch.jobId, watch);
        }
    }

    private void heartbeat() {
        for (Watch watch : watches.values()) {
            List<JobStream> streams;
            synchronized (watch) {
                streams = List.copyOf(watch.streams);
            }
            streams.forEach(JobStream::heartbeat);
        }
    }

    /** The streams open on a job, for the tests. */
    int streams(UUID jobId) {
        Watch watch = watches.get(jobId);
        if (watch == null) {
            return 0;
        }
        synchronized (watch) {
            return watch.streams.size();
        }
    }

    /**
     * Closes every stream before the web server's graceful shutdown, which would otherwise wait for them: their
     * clients reconnect with their last event id, to another gateway.
     */
    @EventListener(ContextClosedEvent.class)
    void closeStreams() {
        for (Watch watch : watches.values()) {
            List<JobStream> streams;
            synchronized (watch) {
                streams = List.copyOf(watch.streams);
            }
            streams.forEach(JobStream::finish);
        }
    }

    @PreDestroy
    void stop() {
        reader.shutdownNow();
        senders.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
