// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The worker's own metrics (Prometheus names): {@code stowage_files_in_flight}, {@code
 * stowage_files_processed_total{outcome,storage}}, {@code stowage_file_processing_seconds{outcome,storage}} (claim to
 * outcome), {@code stowage_phase_seconds{phase="analyze|store"}}, {@code stowage_records_stored_total{storage}} and
 * {@code stowage_bytes_stored_total{storage}}, {@code stowage_files_cancelled_total} (files of a cancelled job whose try
 * failed and that ended instead of being retried; the gateway counts the files a cancel ended). Retries and dead letters are counted where they are routed
 * ({@link RetryRouter}).
 */
@Component
class ProcessingMetrics {

    private final MeterRegistry meters;
    private final AtomicInteger inFlight;
    private final Timer analyze;
    private final Timer store;
    /** The meters of each outcome and storage, looked up once rather than at every file. */
    private final Map<String, Timer> processing = new ConcurrentHashMap<>();

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ProcessingMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.inFlight = meters.gauge("stowage.files.in.flight", new AtomicInteger());
        this.analyze = phase("analyze");
        this.store = phase("store");
    }

    /** Counts a file as in flight until {@link Processing#end} is called. */
    Processing start() {
        inFlight.incrementAndGet();
        return new Processing(Timer.start(meters));
    }

    <T> T analyze(Supplier<T> analysis) {
        return analyze.record(analysis);
    }

    /** Times storing {@code files} files in one transaction: each is recorded with its share of the time. */
    <T> T store(int files, Supplier<T> storing) {
        long start = System.nanoTime();
        try {
            return storing.get();
        } finally {
            Duration share = Duration.ofNanos((System.nanoTime() - start) / files);
            for (int i = 0; i < files; i++) {
                store.record(share);
            }
        }
    }

    void stored(String storage, long records, long bytes) {
        counter("stowage.records.stored", "storage", storage).increment(records);
        counter("stowage.bytes.stored", "storage", storage).increment(bytes);
    }

    void cancelled() {
        counter("stowage.files.cancelled").increment();
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + String.join("\0", tags), key -> meters.counter(name, tags));
    }

    final class Processing {
        private final Timer.Sample sample;

        private Processing(Timer.Sample sample) {
            this.sample = sample;
        }

        /** @param outcome done, retried, failed or duplicate; {@code storage} SQL, JSONB or none */
        void end(String outcome, String storage) {
            inFlight.decrementAndGet();
            sample.stop(processing.computeIfAbsent(
                    outcome + "\0" + storage,
                    key -> Timer.builder("stowage.file.processing")
                            .description("Time from taking a file up to its outcome")
                            .tag("outcome", outcome)
                            .tag("storage", storage)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofMinutes(10))
                            .register(meters)));
            counter("stowage.files.processed", "outcome", outcome, "storage", storage)
                    .increment();
        }
    }

    private Timer phase(String phase) {
        return Timer.builder("stowage.phase")
                .description(
                        "Time of one phase of processing a file: analyze (parse and profile) or store (COPY and commit;"
                                + " a file stored with others has its share of their transaction)")
                .tag("phase", phase)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
    }
}
