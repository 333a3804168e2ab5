// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stowage.model.FileStatus;
import dev.stowage.model.JobStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Server-Sent Event of a job's progress stream: the job's status and counts, and, for streams that ask for
 * them, its files that changed since the event before (all of them in a stream's first event). Its id is the view's entity tag without the quotes, so
 * a client that resumes with the current id has missed nothing. Each of its two frames is written once and the same bytes
 * go to every stream of the job that takes it.
 */
final class JobEvent {

    /** A comment line: proxies that close idle connections see traffic, clients ignore it. */
    static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    /** How long a client waits before reconnecting after a dropped connection, sent with every full event. */
    static final long RECONNECT_MILLIS = 2000;

    /** The data of an event; field names are the contract documented in docs/events.md. */
    record Payload(
            UUID jobId,
            JobStatus status,
            @Nullable String dataset,
            JobView.Progress progress,
            @Nullable OffsetDateTime finishedAt,
            @Nullable OffsetDateTime cancelledAt,
            boolean full,
            List<FileChange> files) {}

    /** A file as an event carries it: only what a progress display needs, nulls left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FileChange(
            UUID id,
            String name,
            FileStatus status,
            int attempts,
            @Nullable String storage,
            @Nullable String table,
            @Nullable Long records,
            @Nullable String error) {}

    private final JsonMapper json;
    private final JobViews.Fresh state;
    /** The indexes of the files that changed; null for all of them (a full event). */
    private final @Nullable BitSet files;

    private byte @Nullable [] frameWithFiles;
    private byte @Nullable [] frameWithoutFiles;

    private JobEvent(JsonMapper json, JobViews.Fresh state, @Nullable BitSet files) {
        this.json = json;
        this.state = state;
        this.files = files;
    }

    /** The whole current state: a stream's first event. */
    static JobEvent full(JsonMapper json, JobViews.Fresh state) {
        return new JobEvent(json, state, null);
    }

    /** What changed from one state of the job to the next: the files are compared one by one, in their order. */
    static JobEvent changes(JsonMapper json, JobViews.Fresh before, JobViews.Fresh after) {
        List<JobView.FileSummary> old = before.job().files();
        List<JobView.FileSummary> now = after.job().files();
        BitSet changed = new BitSet(now.size());
        for (int i = 0; i < now.size(); i++) {
            if (i >= old.size() || !now.get(i).equals(old.get(i))) {
                changed.set(i);
            }
        }
        return new JobEvent(json, after, changed);
    }

    /**
     * This event followed by a later one, for a stream that could not send this one yet: the later state, with the
     * files that changed in either (a full event stays full).
     */
    JobEvent then(JobEvent later) {
        if (files == null || later.files == null) {
            return new JobEvent(json, later.state, null);
        }
        BitSet both = (BitSet) files.clone();
        both.or(later.files);
        return new JobEvent(json, later.state, both);
    }

    String id() {
        return unquoted(state.view().etag());
    }

    /** The job has ended: this is the stream's final event, after which it closes. */
    boolean last() {
        return state.job().progress().ended();
    }

    /**
     * The SSE frame: id, event name ({@code progress} or, the last, {@code end}), data on one line; with the files
     * that changed, or only the job's status and counts (a few hundred bytes, whatever the job's size).
     */
    synchronized byte[] frame(boolean withFiles) {
        if (withFiles && frameWithFiles == null) {
            frameWithFiles = write(changedFiles());
        } else if (!withFiles && frameWithoutFiles == null) {
            frameWithoutFiles = write(List.of());
        }
        return withFiles ? frameWithFiles : frameWithoutFiles;
    }

    private List<FileChange> changedFiles() {
        JobView job = state.job();
        List<FileChange> changed = new ArrayList<>();
        for (int i = 0; i < job.files().size(); i++) {
            if (files == null || files.get(i)) {
                JobView.FileSummary file = job.files().get(i);
                changed.add(new FileChange(
                        file.fileId(),
                        file.name(),
                        file.status(),
                        file.attempts(),
                        file.storage(),
                        file.table(),
                        file.records(),
                        file.error()));
            }
        }
        return changed;
    }

    private byte[] write(List<FileChange> changed) {
        JobView job = state.job();
        Payload payload = new Payload(
                job.jobId(),
                job.status(),
                job.dataset(),
                job.progress(),
                job.finishedAt(),
                job.cancelledAt(),
                files == null,
                changed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = (files == null ? "retry: " + RECONNECT_MILLIS + "\n" : "") + "id: " + id() + "\nevent: "
                + (last() ? "end" : "progress") + "\ndata: ";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        // Compact JSON has no line breaks (those inside strings are escaped): the data is one line.
        out.writeBytes(json.writeValueAsBytes(payload));
        out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** An entity tag as an event id: without its quotes, which a client would otherwise have to keep exactly. */
    static String unquoted(String etag) {
        return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }
}
