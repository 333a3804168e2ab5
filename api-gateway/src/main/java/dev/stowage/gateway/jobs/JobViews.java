// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs' views as the API sends them, kept in memory until PostgreSQL says the job changed ({@link JobChanges}):
 * a client polling a job that did not change costs no query and no serialization. A view is built from one
 * consistent read; one whose job changed while it was being read is sent, not kept. While the gateway is not
 * listening to changes nothing is kept, and what was kept is forgotten when it listens again. At most {@value
 * #MAX_BYTES} bytes of views are kept, the least recently read going first.
 */
@Component
class JobViews implements JobChanges.Listener {

    static final long MAX_BYTES = 32L << 20;
    private static final int MAX_ENTRIES = 100_000;

    /** A view as sent: its JSON and its entity tag (a hash of the JSON). */
    record Rendered(String tenant, byte[] json, String etag) {}

    /** Kept per job: its current view, or when it last changed (a view read before that is not kept). */
    private sealed interface Entry permits Current, Changed {}

    private record Current(Rendered view) implements Entry {}

    private record Changed(long at) implements Entry {}

    private final JobQueries jobs;
    private final JobChanges changes;
    private final JsonMapper json;
    private final Map<UUID, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;

    JobViews(JobQueries jobs, JobChanges changes, JsonMapper json) {
        this.jobs = jobs;
        this.changes = changes;
        this.json = json;
        changes.subscribe(this);
    }

    /** The job's view for the caller's tenant: kept, or read now (empty if the tenant has no such job). */
    Optional<Rendered> view(String tenant, UUID jobId) {
        synchronized (this) {
            if (entries.get(jobId) instanceof Current current) {
                return current.view().tenant().equals(tenant) ? Optional.of(current.view()) : Optional.empty();
            }
        }
        long readAt = System.nanoTime();
        Optional<Rendered> rendered = jobs.find(tenant, jobId).map(view -> render(tenant, view));
        rendered.ifPresent(view -> keep(jobId, view, readAt));
        return rendered;
    }

    /** A view read just now, with the job it was rendered from (for the progress streams' differences). */
    record Fresh(JobView job, Rendered view) {}

    /**
     * The job read now whatever is kept, for the progress streams' watcher, which is told of every change anyway;
     * the view is kept for pollers as a view read by {@link #view} would be, so one read serves both.
     */
    Optional<Fresh> read(String tenant, UUID jobId) {
        long readAt = System.nanoTime();
        Optional<Fresh> fresh = jobs.find(tenant, jobId).map(job -> new Fresh(job, render(tenant, job)));
        fresh.ifPresent(read -> keep(jobId, read.view(), readAt));
        return fresh;
    }

    @Override
    public synchronized void changed(UUID jobId) {
        forget(entries.put(jobId, new Changed(System.nanoTime())));
        trim();
    }

    @Override
    public synchronized void forgetAll() {
        entries.clear();
        bytes = 0;
    }

    private synchronized void keep(UUID jobId, Rendered view, long readAt) {
        Entry previous = entries.get(jobId);
        boolean changedSince = previous instanceof Changed changed && changed.at() - readAt > 0;
        if (!changes.listening() || changedSince || previous instanceof Current) {
            return;
        }
        entries.put(jobId, new Current(view));
        bytes += view.json().length;
        trim();
    }

    private void trim() {
        var oldest = entries.values().iterator();
        while ((bytes > MAX_BYTES || entries.size() > MAX_ENTRIES) && oldest.hasNext()) {
            Entry entry = oldest.next();
            oldest.remove();
            forget(entry);
        }
    }

    private void forget(Entry entry) {
        if (entry instanceof Current current) {
            bytes -= current.view().json().length;
        }
    }

    private Rendered render(String tenant, JobView view) {
        byte[] body = json.writeValueAsBytes(view);
        return new Rendered(tenant, body, etag(body));
    }

    /**
     * The entity tag of a view: two different 32-bit checksums of its JSON (CRC-32 and CRC-32C), so that two
     * views of one job share a tag by chance about once in 2^64. Both are CPU instructions in every compiler
     * tier, while SHA-256 runs as plain Java code in C1 (the gateway's only compiler, see jit/directives.json);
     * nothing needs a cryptographic hash here: nobody gains by forging a collision with their own job's next
     * view.
     */
    private static String etag(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        CRC32C crc32c = new CRC32C();
        crc32c.update(body);
        return "\"" + HexFormat.of().toHexDigits(crc.getValue() << 32 | crc32c.getValue()) + "\"";
    }
}
