// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import dev.stowage.model.FileMessage;
import dev.stowage.model.FileStatus;
import dev.stowage.model.RetryProperties;
import dev.stowage.model.Storage;
import dev.stowage.model.Topology;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.StructureAnalyzer;
import dev.stowage.worker.storage.DocumentWriter;
import dev.stowage.worker.storage.FileContent;
import dev.stowage.worker.storage.PreparedTable;
import dev.stowage.worker.storage.SqlTableWriter;
import dev.stowage.worker.storage.Stored;
import dev.stowage.worker.storage.TableChanges;
import dev.stowage.worker.storage.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Handles a batch of deliveries: analyzes each file and stores it in one transaction together with its DONE
 * status and its attempt, so a file is either fully stored and DONE or not stored at all. The batch's small files
 * are read in one statement and stored in one transaction (one commit instead of one per file); if that transaction
 * fails, each of them is stored again in a transaction of its own, so one file's failure stays its own. A first
 * delivery of a small file writes nothing before that transaction; a redelivery (its worker may have died on it)
 * and every larger file first claim an attempt, committed, so that users see a long file PROCESSING and a file that
 * kills its worker is counted. A redelivery of a file that ended, or that another delivery is storing right now,
 * stores nothing. A failure is classified ({@link FailureClassifier}), the {@link RetryPolicy} says whether the
 * file is tried again, and the {@link RetryRouter} sends its message to a retry tier or the dead-letter queue.
 */
@Service
class FileProcessor {

    /**
     * Files up to this size are stored together with the batch's other small files. A larger file is stored in a
     * transaction of its own: its rows dwarf the per-transaction cost that sharing saves, and a shared transaction
     * would hold its neighbours' row locks and bytes through its whole COPY.
     */
    static final int SHARED_TRANSACTION_MAX_FILE_SIZE = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FileProcessor.class);

    private final FileStates states;
    private final TransactionTemplate transaction;
    private final TableChanges tableChanges;
    private final SqlTableWriter tables;
    private final DocumentWriter documents;
    private final RetryRouter router;
    private final StructureAnalyzer analyzer;
    private final RetryPolicy retries;
    private final String workQueue;
    private final WorkerIdentity worker;
    private final ProcessingMetrics metrics;

    FileProcessor(
            FileStates states,
            TransactionTemplate transaction,
            TableChanges tableChanges,
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
        this.tableChanges = tableChanges;
        this.tables = tables;
        this.documents = documents;
        this.router = router;
        this.analyzer = new StructureAnalyzer(analysis.settings());
        this.retries = new RetryPolicy(retry.delays(), settings.maxUnrecordedRetries());
        this.workQueue = topology.workQueue();
        this.worker = worker;
        this.metrics = metrics;
    }

    /** A delivery of a work message. */
    record Delivery(FileMessage work, Message message) {}

    /** A claimed file on its way through the batch. */
    private final class Attempt {
        final Claim claim;
        final Message message;
        final Target target;
        final ProcessingMetrics.Processing processing = metrics.start();
        Analysis analysis;
        Outcome outcome;

        Attempt(Claim claim, Message message) {
            this.claim = claim;
            this.message = message;
            this.target = new Target(claim.fileId(), claim.tenant(), dataset(claim));
        }

        String storage() {
            return analysis == null ? "none" : analysis.storage().name();
        }

        void end(Outcome outcome, String result) {
            this.outcome = outcome;
            processing.end(result, storage());
        }
    }

    /** Processes the deliveries; says what to do with each message, in the same order. */
    List<Outcome> process(List<Delivery> deliveries) {
        Map<UUID, Claim> smallFiles;
        try {
            for (Delivery delivery : deliveries) {
                if (DeadLetterHistory.wasDeadLetteredFrom(delivery.message(), workQueue)) {
                    states.replayed(delivery.work().fileId());
                }
            }
            // Small files are read (first deliveries) or claimed (redeliveries) together, now; a larger one is
            // claimed only when its turn comes, so that it does not show as PROCESSING while it waits.
            List<FileMessage> first = new ArrayList<>();
            List<FileMessage> again = new ArrayList<>();
            for (Delivery delivery : deliveries) {
                (redelivered(delivery.message()) ? again : first).add(delivery.work());
            }
            smallFiles = states.firstTries(first, SHARED_TRANSACTION_MAX_FILE_SIZE);
            smallFiles.putAll(states.claim(again, worker.id(), SHARED_TRANSACTION_MAX_FILE_SIZE));
        } catch (RuntimeException e) {
            Failure failure = FailureClassifier.classify(e);
            return deliveries.stream()
                    .map(delivery -> unrecorded(delivery.message(), failure))
                    .toList();
        }
        Outcome[] outcomes = new Outcome[deliveries.size()];
        Map<Integer, Attempt> together = new LinkedHashMap<>();
        List<Integer> alone = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            Claim claim = smallFiles.get(delivery.work().fileId());
            if (!seen.add(delivery.work().fileId())) {
                outcomes[i] = Outcome.ACK; // a second message for a file of this batch
            } else if (claim == null) {
                alone.add(i);
            } else {
                Attempt attempt = new Attempt(claim, delivery.message());
                together.put(i, attempt);
                if (!analyzed(attempt)) {
                    outcomes[i] = attempt.outcome;
                }
            }
        }
        List<Attempt> ready = together.values().stream()
                .filter(attempt -> attempt.outcome == null)
                .toList();
        if (ready.size() < 2 || !storeTogether(ready)) {
            ready.forEach(this::storeAlone);
        }
        together.forEach((i, attempt) -> outcomes[i] = attempt.outcome);
        alone.forEach(i -> outcomes[i] = processAlone(deliveries.get(i)));
        return List.of(outcomes);
    }

    /** Claims, analyzes and stores one file on its own (a large one, or one the batch's claim did not take). */
    private Outcome processAlone(Delivery delivery) {
        UUID fileId = delivery.work().fileId();
        Claim claim;
        try {
            claim = states.claim(List.of(delivery.work()), worker.id(), Long.MAX_VALUE)
                    .get(fileId);
        } catch (RuntimeException e) {
            return unrecorded(delivery.message(), FailureClassifier.classify(e));
        }
        if (claim == null) {
            log.info("File {} already ended (or cancelled) or unknown; delivery ignored", fileId);
            return Outcome.ACK;
        }
        Attempt attempt = new Attempt(claim, delivery.message());
        if (analyzed(attempt)) {
            storeAlone(attempt);
        }
        return attempt.outcome;
    }

    /** Analyzes the claimed file; false if the attempt ended instead (its outcome set). */
    private boolean analyzed(Attempt attempt) {
        Claim claim = attempt.claim;
        Optional<Failure> pastBudget = retries.pastBudget(claim.tryInBudget());
        if (pastBudget.isPresent()) {
            attempt.end(failOrRetry(claim, attempt.message, pastBudget.get()), "failed");
            return false;
        }
        try {
            attempt.analysis = metrics.analyze(() -> analyze(claim.content(), claim.jsonLines()));
            return true;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            fail(attempt, e);
            return false;
        }
    }

    /** Stores the files in one transaction; false (and nothing stored) if that failed. */
    private boolean storeTogether(List<Attempt> files) {
        try {
            store(files);
            return true;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            log.info("Storing {} files in one transaction failed ({}); storing each alone", files.size(), e.toString());
            return false;
        }
    }

    private void storeAlone(Attempt attempt) {
        try {
            try {
                store(List.of(attempt));
            } catch (RuntimeException e) {
                if (!FailureClassifier.TABLE_CHANGED.equals(
                        FailureClassifier.classify(e).errorClass())) {
                    throw e;
                }
                // The table or a column was dropped since this worker last read it (by hand: Stowage never drops
                // one). The failed write made the worker forget what it knew (TableChanges.forget), so this try
                // reads the table afresh and makes it again, now, instead of a retry a second later.
                store(List.of(attempt));
            }
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            fail(attempt, e);
        }
    }

    /**
     * Stores the files in one transaction, each with its DONE status; a file that another delivery stored (or
     * failed) meanwhile is left alone and its attempt ends as DUPLICATE. Throws if anything fails, storing nothing.
     */
    private void store(List<Attempt> files) {
        Map<Attempt, Stored> stored = metrics.store(files.size(), () -> {
            // DDL a file needs commits before, in a short transaction of its own (TableChanges.prepare)
            Map<Attempt, PreparedTable> tablesOfFiles = new HashMap<>();
            for (Attempt file : files) {
                if (file.analysis.storage() == Storage.SQL) {
                    tablesOfFiles.put(
                            file,
                            tableChanges.prepare(
                                    file.target,
                                    file.analysis,
                                    analyzer.settings().maxColumns()));
                }
            }
            return transaction.execute(tx -> store(files, tablesOfFiles));
        });
        for (Attempt file : files) {
            Stored done = stored.get(file);
            if (done == null) {
                if (file.claim.claimed()) {
                    states.duplicate(file.claim);
                }
                file.end(Outcome.ACK, "duplicate");
                continue;
            }
            metrics.stored(
                    done.storage().name(), done.records(), file.claim.content().size());
            log.debug(
                    "File {} ({}) stored as {} in {}: {} records",
                    file.claim.fileId(),
                    file.claim.name(),
                    done.storage(),
                    done.table(),
                    done.records());
            file.end(Outcome.ACK, "done");
        }
    }

    /** The storing transaction: what each file stored, for the files no other delivery stored meanwhile. */
    private Map<Attempt, Stored> store(List<Attempt> files, Map<Attempt, PreparedTable> tablesOfFiles) {
        Map<UUID, FileStates.Locked> rows = states.lockForStoring(
                files.stream().map(file -> file.claim.fileId()).toList());
        // another delivery may have stored (or failed, or claimed) a file while this one analyzed
        List<Attempt> toStore = files.stream()
                .filter(file -> stillOurs(file.claim, rows.get(file.claim.fileId())))
                .toList();
        Map<Boolean, List<Attempt>> asTable =
                toStore.stream().collect(Collectors.partitioningBy(tablesOfFiles::containsKey));
        Map<Attempt, Stored> stored = new HashMap<>();
        putInOrder(
                stored,
                asTable.get(true),
                sqlFiles -> tables.write(
                        sqlFiles.stream()
                                .map(file -> new SqlTableWriter.Load(
                                        tablesOfFiles.get(file), file.claim.content(), file.claim.jsonLines()))
                                .toList(),
                        analyzer.settings().maxDepth()));
        putInOrder(
                stored,
                asTable.get(false),
                documentFiles -> documents.write(documentFiles.stream()
                        .map(file -> new DocumentWriter.Load(
                                file.target, file.analysis, file.claim.content(), file.claim.jsonLines()))
                        .toList()));
        if (!stored.isEmpty()) {
            states.done(
                    toStore.stream()
                            .map(file -> new FileStates.Done(
                                    file.claim,
                                    file.target.dataset(),
                                    stored.get(file),
                                    file.analysis.report(stored.get(file).columns())))
                            .toList(),
                    worker.id());
        }
        return stored;
    }

    /**
     * Whether the file is still this delivery's to store: a claimed attempt, until the file ended; a first try, as
     * long as nobody else has tried it meanwhile.
     */
    private static boolean stillOurs(Claim claim, FileStates.Locked row) {
        if (claim.claimed()) {
            return !row.status().ended();
        }
        return (row.status() == FileStatus.QUEUED || row.status() == FileStatus.RETRYING)
                && row.attempts() == claim.attempt() - 1;
    }

    /** Writes the files, if any, and records what each stored (a writer answers in the order it was given). */
    private static void putInOrder(
            Map<Attempt, Stored> stored, List<Attempt> files, Function<List<Attempt>, List<Stored>> writer) {
        if (files.isEmpty()) {
            return;
        }
        List<Stored> written = writer.apply(files);
        for (int i = 0; i < files.size(); i++) {
            stored.put(files.get(i), written.get(i));
        }
    }

    private void fail(Attempt attempt, Throwable e) {
        Failure failure = FailureClassifier.classify(e);
        Claim claim = attempt.claim;
        String result = retries.retryAfter(failure, claim.tryInBudget()).isPresent() ? "retried" : "failed";
        attempt.end(failOrRetry(claim, attempt.message, failure), result);
    }

    private Analysis analyze(FileContent content, boolean jsonLines) {
        try (InputStream json = content.open()) {
            return analyzer.analyze(json, jsonLines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Outcome failOrRetry(Claim tried, Message message, Failure failure) {
        try {
            Claim claim = recorded(tried);
            if (claim == null) {
                log.info(
                        "File {} was taken by another delivery, or its job cancelled, while this one failed;"
                                + " delivery ignored",
                        tried.fileId());
                return Outcome.ACK;
            }
            Optional<Duration> retryAfter = retries.retryAfter(failure, claim.tryInBudget());
            if (retryAfter.isPresent()) {
                Duration delay = retryAfter.get();
                log.warn(
                        "File {} ({}) try {} failed, retrying in {}: {}",
                        claim.fileId(),
                        claim.name(),
                        claim.tryInBudget(),
                        delay,
                        failure.describe());
                if (!states.retrying(claim, failure, delay)) {
                    log.info("File {} ({}) not retried: its job was cancelled", claim.fileId(), claim.name());
                    metrics.cancelled();
                    return Outcome.ACK;
                }
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
     * The attempt as recorded: a first try that fails is claimed now, so that its outcome has an attempt to end
     * (null if another delivery has taken the file meanwhile).
     */
    private Claim recorded(Claim claim) {
        if (claim.claimed()) {
            return claim;
        }
        return states.claim(List.of(new FileMessage(claim.jobId(), claim.fileId())), worker.id(), Long.MAX_VALUE)
                .get(claim.fileId());
    }

    private static boolean redelivered(Message message) {
        return Boolean.TRUE.equals(message.getMessageProperties().getRedelivered());
    }

    /** The database could not record anything (it is away): the message goes round unrecorded, or is rejected. */
    private Outcome unrecorded(Message message, Failure failure) {
        Integer previous = message.getMessageProperties().getHeader(Topology.UNRECORDED_RETRIES_HEADER);
        int count = previous == null ? 1 : previous + 1;
        log.warn("Could not record an attempt ({}); unrecorded retry {}", failure.describe(), count);
        Optional<Duration> retryAfter = retries.unrecordedRetryAfter(count);
        if (retryAfter.isEmpty()) {
            return Outcome.REJECT;
        }
        Integer attempts = message.getMessageProperties().getHeader(Topology.ATTEMPTS_HEADER);
        boolean sent = router.retry(message, retryAfter.get(), attempts == null ? 0 : attempts, failure, count);
        return sent ? Outcome.ACK : Outcome.REQUEUE;
    }

    private static String dataset(Claim claim) {
        // The API only accepts dataset names that need no rewriting; file names are made into table names.
        return claim.dataset() != null ? claim.dataset().toLowerCase(Locale.ROOT) : Identifiers.table(claim.name());
    }
}
