// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void countsReadAsTheConsoleShowsThem() {
        Progress progress = new Progress(100, 75, 2, 0, 23, 0, 0);
        assertThat(progress.counts()).isEqualTo("23/100 done, 2 processing, 75 queued, 0 retrying, 0 failed");
        assertThat(Progress.Bar.line(progress)).startsWith("[######------------------------]  23%  23/100 done");
        assertThat(progress.ended()).isFalse();
        assertThat(new Progress(3, 0, 0, 0, 2, 1, 0).ended()).isTrue();
    }

    @Test
    void linesAreWrittenWhenTheCountsChangeAndTheLastAlways() {
        StringWriter written = new StringWriter();
        Progress.Display lines = new Progress.Lines(new PrintWriter(written), Duration.ZERO);
        lines.show(new Progress(2, 2, 0, 0, 0, 0, 0));
        lines.show(new Progress(2, 2, 0, 0, 0, 0, 0));
        lines.show(new Progress(2, 1, 0, 0, 1, 0, 0));
        lines.end(new Progress(2, 0, 0, 0, 2, 0, 0));
        assertThat(written.toString().lines())
                .containsExactly(
                        "0/2 done, 0 processing, 2 queued, 0 retrying, 0 failed",
                        "1/2 done, 0 processing, 1 queued, 0 retrying, 0 failed",
                        "2/2 done, 0 processing, 0 queued, 0 retrying, 0 failed");
    }
}
