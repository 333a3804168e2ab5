package dev.stowage.gateway.upload;

import dev.stowage.gateway.jobs.JobView;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.model.FileMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts a job: job row, file rows and bytes in one transaction, then one confirmed message per file. Accepted
 * means durable: if the broker does not confirm, the files stay unpublished in the outbox and
 * {@link OutboxReconciler} publishes them once it is back.
 */
@Service
class JobIntake {

    /** A dataset names a table, so it is held to what needs no rewriting: letters, digits, underscores. */
    static final Pattern DATASET = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private static final String INSERT_JOB =
            "insert into jobs (id, tenant, dataset, total, created_at) values (?, ?, ?, ?, ?)";
    private static final String INSERT_FILE = "insert into files (id, job_id, ordinal, name, content_type, size_bytes,"
            + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CONTENT = "insert into file_contents (file_id, bytes) values (?, ?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final WorkOutbox outbox;
    private final Counter uploads;
    private final Counter filesAccepted;
    private final Counter bytesAccepted;

    JobIntake(JdbcTemplate jdbc, TransactionTemplate transaction, WorkOutbox outbox, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
        this.uploads = meters.counter("stowage.uploads");
        this.filesAccepted = meters.counter("stowage.files.accepted");
        this.bytesAccepted = meters.counter("stowage.bytes.accepted");
    }

    JobView accept(String tenant, List<IncomingFile> files, @Nullable String dataset) {
        validate(files, dataset);
        UUID jobId = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        List<Object[]> fileRows = new ArrayList<>(files.size());
        List<Object[]> contentRows = new ArrayList<>(files.size());
        List<FileMessage> messages = new ArrayList<>(files.size());
        List<JobView.FileSummary> summaries = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            IncomingFile file = files.get(i);
            UUID fileId = UUID.randomUUID();
            fileRows.add(
                    new Object[] {fileId, jobId, i, file.name(), file.contentType(), file.bytes().length, now, now});
            contentRows.add(new Object[] {fileId, file.bytes()});
            messages.add(new FileMessage(jobId, fileId));
            summaries.add(JobView.FileSummary.queued(fileId, file.name(), file.bytes().length));
        }
        transaction.executeWithoutResult(status -> {
            jdbc.update(INSERT_JOB, jobId, tenant, dataset, files.size(), now);
            jdbc.batchUpdate(INSERT_FILE, fileRows);
            jdbc.batchUpdate(INSERT_CONTENT, contentRows);
        });
        outbox.publish(messages);
        uploads.increment();
        filesAccepted.increment(files.size());
        bytesAccepted.increment(files.stream().mapToLong(f -> f.bytes().length).sum());
        return JobView.accepted(jobId, dataset, now, summaries);
    }

    private static void validate(List<IncomingFile> files, @Nullable String dataset) {
        if (dataset != null && !DATASET.matcher(dataset).matches()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "invalid-dataset",
                    "Dataset '" + dataset + "' is not a valid name: use 1 to 63 letters, digits or underscores,"
                            + " starting with a letter.");
        }
        for (IncomingFile file : files) {
            if (file.bytes().length == 0) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "empty-file",
                        "File '" + file.name() + "' is empty. Remove it or send its content; nothing was accepted.");
            }
        }
    }
}
