package dev.stowage.worker.processing;

import dev.stowage.model.FileMessage;
import dev.stowage.model.FileStatus;
import dev.stowage.model.RetryProperties;
import dev.stowage.model.Storage;
import dev.stowage.model.Topology;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.JsonRecords;
import dev.stowage.worker.analysis.StructureAnalyzer;
import dev.stowage.worker.storage.DocumentWriter;
import dev.stowage.worker.storage.FileContent;
import dev.stowage.worker.storage.SqlTableWriter;
import dev.stowage.worker.storage.Stored;
import dev.stowage.worker.storage.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Handles one delivery: claims an attempt, analyzes the file, and stores it in one transaction together with its
 * DONE status, so a file is either fully stored and DONE or not stored at all. A redelivery of a file that ended,
 * or that another delivery is storing right now, stores nothing. Failures are classified: transient ones go to the
 * next retry tier while the budget lasts, the rest end FAILED and go to the dead-letter queue.
 */
@Service
class FileProcessor {

    private static final Logger log = LoggerFactory.getLogger(FileProcessor.class);

    private final FileStates states;
    private final TransactionTemplate transaction;
    private final SqlTableWriter tables;
    private final DocumentWriter documents;
    private final RetryRouter router;
    private final StructureAnalyzer analyzer;
    private final WorkerSettings settings;
    private final List<Duration> delays;
    private final String workQueue;
    private final WorkerIdentity worker;
    private final ProcessingMetrics metrics;

    FileProcessor(
            FileStates states,
            TransactionTemplate transaction,
            SqlTableWriter tables,
            DocumentWriter documents,
            RetryRouter router,
            WorkerSettings settings,
            AnalyzerProperties analysis,
            RetryProperties retry,
            Topology topology,
            WorkerIdentity worker,
            ProcessingMetrics metrics) {
        this.states = states;
        this.transaction = transaction;
        this.tables = tables;
        this.documents = documents;
        this.router = router;
        this.analyzer = new StructureAnalyzer(analysis.settings());
        this.settings = settings;
        this.delays = retry.delays();
        this.workQueue = topology.workQueue();
        this.worker = worker;
        this.metrics = metrics;
    }

    Outcome process(FileMessage work, Message message) {
        boolean replayed = DeadLetterHistory.wasDeadLetteredFrom(message, workQueue);
        Optional<Claim> claimed;
        try {
            claimed = states.claim(work.fileId(), work.jobId(), worker.id(), replayed);
        } catch (RuntimeException e) {
            return unrecorded(message, FailureClassifier.classify(e));
        }
        if (claimed.isEmpty()) {
            log.info("File {} already ended or unknown; delivery ignored", work.fileId());
            return Outcome.ACK;
        }
        Claim claim = claimed.get();
        ProcessingMetrics.Processing processing = metrics.start();
        String result = "failed";
        String storage = "none";
        try {
            if (claim.tryInBudget() > 1 + delays.size()) {
                return failOrRetry(claim, message, lostAttempts(claim));
            }
            FileContent content = claim.content();
            Analysis analysis = metrics.analyze(() -> analyze(content, claim.jsonLines()));
            storage = analysis.storage().name();
            Target target = new Target(claim.fileId(), claim.tenant(), dataset(claim));
            Stored stored = metrics.store(() -> {
                SqlTableWriter.Table table =
                        analysis.storage() == Storage.SQL ? tables.prepare(target, analysis) : null;
                return transaction.execute(tx -> store(claim, target, analysis, table, content));
            });
            if (stored == null) {
                states.duplicate(claim);
                result = "duplicate";
                return Outcome.ACK;
            }
            metrics.stored(storage, stored.records(), content.size());
            log.debug(
                    "File {} ({}) stored as {} in {}: {} records",
                    claim.fileId(),
                    claim.name(),
                    stored.storage(),
                    stored.table(),
                    stored.records());
            result = "done";
            return Outcome.ACK;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            Failure failure = FailureClassifier.classify(e);
            result = failure.transientFailure() && claim.tryInBudget() <= delays.size() ? "retried" : "failed";
            return failOrRetry(claim, message, failure);
        } finally {
            processing.end(result, storage);
        }
    }

    /**
     * The storing transaction; null when another delivery already stored the file.
     *
     * @param table the dataset table, made ready in a transaction before this one, if the file is stored as SQL
     */
    private Stored store(
            Claim claim, Target target, Analysis analysis, SqlTableWriter.Table table, FileContent content) {
        FileStatus status = states.lockForStoring(claim.fileId());
        if (status.ended()) {
            return null; // another delivery stored it (or it failed) while this one analyzed
        }
        Stored stored = table != null
                ? tables.write(
                        table, content, claim.jsonLines(), analyzer.settings().maxDepth())
                : documents.write(target, analysis, content, claim.jsonLines());
        states.done(
                claim,
                target.dataset(),
                stored,
                JsonRecords.MAPPER.writeValueAsString(analysis.report(stored.columns())));
        return stored;
    }

    private Analysis analyze(FileContent content, boolean jsonLines) {
        try (InputStream json = content.open()) {
            return analyzer.analyze(json, jsonLines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Outcome failOrRetry(Claim claim, Message message, Failure failure) {
        try {
            if (failure.transientFailure() && claim.tryInBudget() <= delays.size()) {
                Duration delay = delays.get(claim.tryInBudget() - 1);
                log.warn(
                        "File {} ({}) try {} failed, retrying in {}: {}",
                        claim.fileId(),
                        claim.name(),
                        claim.tryInBudget(),
                        delay,
                        failure.describe());
                states.retrying(claim, failure, delay);
                return router.retry(message, delay, claim.attempt(), failure, 0) ? Outcome.ACK : Outcome.REQUEUE;
            }
            log.warn(
                    "File {} ({}) failed after {} tries: {}",
                    claim.fileId(),
                    claim.name(),
                    claim.tryInBudget(),
                    failure.describe());
            states.failed(claim, failure);
            return router.deadLetter(message, claim.attempt(), failure) ? Outcome.ACK : Outcome.REJECT;
        } catch (RuntimeException recording) {
            return unrecorded(message, FailureClassifier.classify(recording));
        }
    }

    /**
     * The database could not record anything (it is away): send the message round the longest retry tier without
     * spending the file's budget, a bounded number of times, so that an outage neither loses nor loops it.
     */
    private Outcome unrecorded(Message message, Failure failure) {
        Integer previous = message.getMessageProperties().getHeader(Topology.UNRECORDED_RETRIES_HEADER);
        int count = previous == null ? 1 : previous + 1;
        log.warn("Could not record an attempt ({}); unrecorded retry {}", failure.describe(), count);
        if (delays.isEmpty() || count > settings.maxUnrecordedRetries()) {
            return Outcome.REJECT;
        }
        Integer attempts = message.getMessageProperties().getHeader(Topology.ATTEMPTS_HEADER);
        boolean sent =
                router.retry(message, delays.get(delays.size() - 1), attempts == null ? 0 : attempts, failure, count);
        return sent ? Outcome.ACK : Outcome.REQUEUE;
    }

    private static Failure lostAttempts(Claim claim) {
        String message = "Gave up: the previous %d tries each ended without an outcome, their worker stopped"
                        .formatted(claim.tryInBudget() - 1)
                + " (killed, out of memory, or disconnected) while processing this file.";
        return new Failure(false, "LostAttempts", message, new IllegalStateException(message));
    }

    private static String dataset(Claim claim) {
        // The API only accepts dataset names that need no rewriting; file names are made into table names.
        return claim.dataset() != null ? claim.dataset().toLowerCase(Locale.ROOT) : Identifiers.table(claim.name());
    }
}
