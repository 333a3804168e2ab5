// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.PrintWriter;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** How far some files have come: the counts a job's {@code progress} holds, summed over jobs. */
record Progress(long total, long queued, long processing, long retrying, long done, long failed, long cancelled) {

    static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, 0);

    static Progress of(JsonNode progress) {
        return new Progress(
                progress.get("total").asLong(),
                progress.get("queued").asLong(),
                progress.get("processing").asLong(),
                progress.get("retrying").asLong(),
                progress.get("done").asLong(),
                progress.get("failed").asLong(),
                progress.path("cancelled").asLong());
    }

    Progress plus(Progress other) {
        return new Progress(
                total + other.total,
                queued + other.queued,
                processing + other.processing,
                retrying + other.retrying,
                done + other.done,
                failed + other.failed,
                cancelled + other.cancelled);
    }

    boolean ended() {
        return done + failed + cancelled == total;
    }

    /** "23/100 done, 2 processing, 75 queued, 0 retrying, 0 failed" (and ", 5 cancelled" when some are). */
    String counts() {
        return "%,d/%,d done, %,d processing, %,d queued, %,d retrying, %,d failed"
                        .formatted(done, total, processing, queued, retrying, failed)
                + (cancelled > 0 ? ", %,d cancelled".formatted(cancelled) : "");
    }

    /** Shows progress as it changes: a bar redrawn in place on a terminal, plain lines anywhere else. */
    interface Display {
        void show(Progress progress);

        void end(Progress progress);

        static Display forOutput(PrintWriter out, boolean terminal) {
            return terminal ? new Bar(out) : new Lines(out, Duration.ofSeconds(2));
        }
    }

    /** One line redrawn in place: {@code [#########-----------]  45%  450/1,000 done, ...}. */
    static final class Bar implements Display {
        private static final int WIDTH = 30;
        private final PrintWriter out;

        Bar(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void show(Progress progress) {
            out.print("\r" + line(progress) + "\u001b[K");
            out.flush();
        }

        @Override
        public void end(Progress progress) {
            show(progress);
            out.println();
            out.flush();
        }

        static String line(Progress progress) {
            long ended = progress.done() + progress.failed() + progress.cancelled();
            int filled = progress.total() == 0 ? WIDTH : (int) (WIDTH * ended / progress.total());
            int percent = progress.total() == 0 ? 100 : (int) (100 * ended / progress.total());
            return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + "%3d%%  ".formatted(percent)
                    + progress.counts();
        }
    }

    /** A line when the counts changed, at most one per interval, and always the last. */
    static final class Lines implements Display {
        private final PrintWriter out;
        private final long intervalNanos;
        private Progress shown;
        private long shownAt;

        Lines(PrintWriter out, Duration interval) {
            this.out = out;
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void show(Progress progress) {
            long now = System.nanoTime();
            if (!progress.equals(shown) && (shown == null || now - shownAt >= intervalNanos)) {
                print(progress, now);
            }
        }

        @Override
        public void end(Progress progress) {
            if (!progress.equals(shown)) {
                print(progress, System.nanoTime());
            }
        }

        private void print(Progress progress, long now) {
            out.println(progress.counts());
            out.flush();
            shown = progress;
            shownAt = now;
        }
    }
}
