// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.BuildExpectations;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The {@code stowage} command ({@code cli/target/stowage.jar}) as a user runs it, against the running stack. */
class CliIT {

    private static final Pattern JOB = Pattern.compile("job ([0-9a-f-]{36}): ");

    static TestServices services;
    static String gateway;

    @TempDir
    Path dir;

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        gateway = stack.processes.get(0).base().toString();
    }

    record Run(int exitCode, String out, String err) {}

    @Test
    void aDirectoryOfAThousandFilesIsUploadedInJobsAndFollowedToTheEnd() throws Exception {
        Path files = Files.createDirectories(dir.resolve("many/nested"));
        for (int i = 0; i < 1000; i++) {
            Path parent = i % 2 == 0 ? dir.resolve("many") : files;
            Files.writeString(
                    parent.resolve("f-%04d.json".formatted(i)), "[{\"n\":%d,\"even\":%b}]".formatted(i, i % 2 == 0));
        }
        Run run = stowage(
                services.userKey,
                "upload",
                "--dataset",
                "cli_many",
                "--wait",
                dir.resolve("many").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1,000 files in 10 jobs accepted").contains("every file DONE (1,000)");
        // not a terminal: plain progress lines, the last one complete
        List<String> progress =
                run.out().lines().filter(line -> line.contains(" done, ")).toList();
        assertThat(progress).last().isEqualTo("1,000/1,000 done, 0 processing, 0 queued, 0 retrying, 0 failed");
        assertThat(services.count("select count(*) from " + services.datasetsSchema + ".cli_many"))
                .isEqualTo(1000);
    }

    @Test
    void aFailedFileMakesTheExitCodeOneAndIsNamed() throws Exception {
        Files.writeString(dir.resolve("good.json"), "[{\"a\":1}]");
        Files.writeString(dir.resolve("broken.json"), "[{\"a\":");
        Run run = stowage(services.userKey, "upload", "--wait", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("1 of 2 files FAILED:")
                .contains("broken.json")
                .contains("InvalidJson");

        String job = jobOf(run);
        Run status = stowage(services.userKey, "status", job);
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out())
                .contains("PARTIALLY_FAILED")
                .contains("good.json")
                .contains("DONE");
        Run jobs = stowage(services.userKey, "jobs", "--status", "partially_failed");
        assertThat(jobs.exitCode()).isZero();
        assertThat(jobs.out()).contains(job);
        Run cancel = stowage(services.userKey, "cancel", job);
        assertThat(cancel.exitCode()).isEqualTo(2);
        assertThat(cancel.err()).contains("409").contains("has ended: there is nothing left to cancel");

        Run forbidden = stowage(services.userKey, "dead-letters", "--job", job);
        assertThat(forbidden.exitCode()).isEqualTo(2);
        assertThat(forbidden.err()).contains("403").contains("ADMIN");
        Run letters = stowage(services.adminKey, "dead-letters", "--job", job);
        assertThat(letters.exitCode()).isZero();
        assertThat(letters.out()).contains("broken.json").contains("InvalidJson");
        Run replay = stowage(services.adminKey, "dead-letters", "--job", job, "--replay");
        assertThat(replay.out()).contains("replayed 1 file(s)");
    }

    @Test
    void versionIsThePomsVersionAsTheRunningJarsSayIt() throws Exception {
        Run version = stowage("", "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out().strip()).isEqualTo("stowage " + BuildExpectations.version());
        // The jars as processes, the gateway and the workers: build-info.properties read from the boot jar.
        for (ServiceProcess process : Stack.get().processes) {
            JsonNode info = new StowageClient(process.base(), null)
                    .get("/actuator/info")
                    .json();
            assertThat(info.path("build").path("version").asString())
                    .as("%s: %s", process.base(), info)
                    .isEqualTo(BuildExpectations.version());
        }
    }

    @Test
    void wrongUsageNoKeyAndNoServerExitTwoWithAClearMessage() throws Exception {
        Run usage = stowage(services.userKey, "upload");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter");

        Run missing = stowage(
                services.userKey, "upload", dir.resolve("nothing-here.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("No such file or directory").contains("nothing-here.json");

        Run noKey = stowage("", "jobs");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("STOWAGE_API_KEY");

        Run badKey = stowage("not-a-key-of-this-stack", "jobs");
        assertThat(badKey.exitCode()).isEqualTo(2);
        assertThat(badKey.err()).contains("401");

        Run unreachable = run(Map.of("STOWAGE_URL", "http://127.0.0.1:9", "STOWAGE_API_KEY", "k"), "jobs");
        assertThat(unreachable.exitCode()).isEqualTo(2);
        assertThat(unreachable.err()).contains("Cannot reach the server at http://127.0.0.1:9");
    }

    private static String jobOf(Run run) {
        Matcher job = JOB.matcher(run.out());
        assertThat(job.find()).as(run.out()).isTrue();
        return job.group(1);
    }

    private Run stowage(String key, String... args) throws Exception {
        return run(Map.of("STOWAGE_URL", gateway, "STOWAGE_API_KEY", key), args);
    }

    private Run run(Map<String, String> environment, String... args) throws Exception {
        Path jar = Path.of("..", "cli", "target", "stowage.jar");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().remove("STOWAGE_API_KEY");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("stowage " + String.join(" ", args) + " did not end within 5 minutes");
        }
        return new Run(
                process.exitValue(),
                Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
