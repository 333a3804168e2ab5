package dev.stowage.worker.processing;

import dev.stowage.model.FileMessage;
import dev.stowage.model.FileStatus;
import dev.stowage.model.Storage;
import dev.stowage.worker.analysis.Analysis;
import dev.stowage.worker.analysis.Identifiers;
import dev.stowage.worker.analysis.JsonRecords;
import dev.stowage.worker.analysis.StructureAnalyzer;
import dev.stowage.worker.storage.DocumentWriter;
import dev.stowage.worker.storage.SqlTableWriter;
import dev.stowage.worker.storage.Stored;
import dev.stowage.worker.storage.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Handles one delivery: claims an attempt, analyzes the file, and stores it in one transaction together with its
 * DONE status, so a file is either fully stored and DONE or not stored at all. A redelivery of a file that ended,
 * or that another delivery is storing right now, stores nothing.
 */
@Service
class FileProcessor {

    private static final Logger log = LoggerFactory.getLogger(FileProcessor.class);

    private final FileStates states;
    private final TransactionTemplate transaction;
    private final SqlTableWriter tables;
    private final DocumentWriter documents;
    private final StructureAnalyzer analyzer;
    private final WorkerSettings settings;
    private final WorkerIdentity worker;
    private final MeterRegistry meters;
    private final AtomicInteger inFlight;
    private final Counter records;

    FileProcessor(
            FileStates states,
            TransactionTemplate transaction,
            SqlTableWriter tables,
            DocumentWriter documents,
            WorkerSettings settings,
            WorkerIdentity worker,
            MeterRegistry meters) {
        this.states = states;
        this.transaction = transaction;
        this.tables = tables;
        this.documents = documents;
        this.analyzer = new StructureAnalyzer(settings.maxColumns());
        this.settings = settings;
        this.worker = worker;
        this.meters = meters;
        this.inFlight = meters.gauge("stowage.files.in.flight", new AtomicInteger());
        this.records = meters.counter("stowage.records.stored");
    }

    Outcome process(FileMessage message) {
        Optional<Claim> claimed = states.claim(message.fileId(), message.jobId(), worker.id());
        if (claimed.isEmpty()) {
            log.info("File {} already ended or unknown; delivery ignored", message.fileId());
            return Outcome.SKIPPED;
        }
        Claim claim = claimed.get();
        Timer.Sample sample = Timer.start(meters);
        inFlight.incrementAndGet();
        Outcome outcome = Outcome.FAILED;
        String storage = "none";
        try {
            byte[] json = states.content(claim.fileId());
            Analysis analysis = analyzer.analyze(json, claim.jsonLines());
            storage = analysis.storage().name();
            Optional<Stored> stored = Optional.ofNullable(transaction.execute(tx -> store(claim, analysis, json)));
            if (stored.isEmpty()) {
                states.duplicate(claim);
                return outcome = Outcome.SKIPPED;
            }
            records.increment(stored.get().records());
            log.info(
                    "File {} ({}) stored as {} in {}: {} records",
                    claim.fileId(),
                    claim.name(),
                    stored.get().storage(),
                    stored.get().table(),
                    stored.get().records());
            return outcome = Outcome.DONE;
        } catch (RuntimeException e) {
            String error = describe(e);
            log.warn("File {} ({}) failed: {}", claim.fileId(), claim.name(), error);
            states.failed(claim, error, stackTrace(e));
            return outcome = Outcome.FAILED;
        } finally {
            inFlight.decrementAndGet();
            String result = outcome.name().toLowerCase(Locale.ROOT);
            sample.stop(Timer.builder("stowage.file.processing")
                    .description("Time from claiming a file to its outcome")
                    .tag("outcome", result)
                    .tag("storage", storage)
                    .publishPercentileHistogram()
                    .register(meters));
            meters.counter("stowage.files.processed", "outcome", result, "storage", storage)
                    .increment();
        }
    }

    /** The storing transaction; null when another delivery already stored the file. */
    private Stored store(Claim claim, Analysis analysis, byte[] json) {
        FileStatus status = states.lockForStoring(claim.fileId(), settings.lockTimeout(), settings.statementTimeout());
        if (status.ended()) {
            return null;
        }
        Target target = new Target(claim.fileId(), claim.tenant(), dataset(claim));
        Stored stored = analysis.storage() == Storage.SQL
                ? tables.write(target, analysis, json, claim.jsonLines())
                : documents.write(target, analysis, json, claim.jsonLines());
        states.done(claim, stored, JsonRecords.MAPPER.writeValueAsString(analysis.report()));
        return stored;
    }

    private static String dataset(Claim claim) {
        // The API only accepts dataset names that need no rewriting; file names are made into table names.
        return claim.dataset() != null ? claim.dataset().toLowerCase(Locale.ROOT) : Identifiers.table(claim.name());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e.getClass().getSimpleName() + ": " + message;
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
