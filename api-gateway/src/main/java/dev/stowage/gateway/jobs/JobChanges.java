// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import dev.stowage.model.DatabaseProperties;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Which jobs changed, from PostgreSQL: every statement that changes file rows notifies channel
 * {@code <schema>.jobs} with the jobs it touched (a trigger, migration V7), whoever wrote them (any worker, any
 * gateway). One connection per gateway listens, outside the pool, and tells the subscribers: the cached job views
 * and the progress streams. While it is not listening (at the start, after its connection broke) it says so, and
 * subscribers must not trust what they kept; each time it starts listening again they are told to forget it all.
 */
@Component
public class JobChanges {

    /** What a subscriber hears: a job changed, or everything may have (the notifications had a gap). */
    public interface Listener {
        void changed(UUID jobId);

        void forgetAll();
    }

    private static final Logger log = LoggerFactory.getLogger(JobChanges.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final DataSourceProperties database;
    private final String channel;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean listening;
    private volatile boolean stopped;

    JobChanges(DataSourceProperties database, DatabaseProperties schema) {
        this.database = database;
        this.channel = schema.schema() + ".jobs";
        this.thread = new Thread(this::run, "job-changes");
        this.thread.setDaemon(true);
    }

    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    /** Whether every change since the last {@link Listener#forgetAll} has been (or will be) told. */
    public boolean listening() {
        return listening;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        thread.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5000);
    }

    private void run() {
        while (!stopped) {
            try (Connection connection = DriverManager.getConnection(
                    database.determineUrl(), database.determineUsername(), database.determinePassword())) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("listen \"" + channel.replace("\"", "\"\"") + "\"");
                }
                listening = true;
                listeners.forEach(Listener::forgetAll); // what changed while nobody listened is unknown
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] received = notifications.getNotifications((int) POLL.toMillis());
                    for (PGNotification notification : received == null ? new PGNotification[0] : received) {
                        tell(notification.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (listening) {
                    log.warn("Not listening to job changes any more, reconnecting: {}", e.toString());
                }
            } finally {
                listening = false;
            }
            pause();
        }
    }

    private void tell(String payload) {
        UUID jobId;
        try {
            jobId = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            return;
        }
        for (Listener listener : listeners) {
            listener.changed(jobId);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
