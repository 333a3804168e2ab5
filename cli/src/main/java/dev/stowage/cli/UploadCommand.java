// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(
        name = "upload",
        description = {
            "Upload files: each PATH is a file, a directory (its .json, .ndjson, .jsonl and .geojson files, recursively)"
                    + " or a quoted glob such as 'data/**.json'.",
            "Files are sent as several jobs of at most --per-job files each, one request per job, each file streamed"
                    + " from disk as it is sent."
        })
final class UploadCommand implements Callable<Integer> {

    @ParentCommand
    Stowage stowage;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Store the files' records in this dataset.")
    String dataset;

    @Option(
            names = "--wait",
            description = "Follow the jobs until every file has ended: a progress bar on a terminal, plain lines"
                    + " otherwise; exit 0 if every file is DONE, 1 if any FAILED.")
    boolean await;

    @Option(
            names = "--per-job",
            paramLabel = "N",
            defaultValue = "100",
            description = "Files per job (and request), 1-1000; default ${DEFAULT-VALUE}.")
    int perJob;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, directories or globs.")
    List<String> paths;

    @Override
    public Integer call() {
        if (perJob < 1 || perJob > 1000) {
            throw new CliException("--per-job must be between 1 and 1000, not " + perJob + ".", ExitCodes.CANNOT);
        }
        List<Path> files = FileCollector.collect(paths);
        if (files.isEmpty()) {
            throw new CliException("No JSON files in " + String.join(", ", paths) + ".", ExitCodes.CANNOT);
        }
        Api api = stowage.api();
        PrintWriter out = spec.commandLine().getOut();
        List<String> jobs = new ArrayList<>();
        for (int from = 0; from < files.size(); from += perJob) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + perJob));
            JsonNode job = api.upload(batch, dataset);
            jobs.add(job.get("jobId").asString());
            out.printf("job %s: %,d files accepted%n", job.get("jobId").asString(), batch.size());
            out.flush();
        }
        out.printf("%,d files in %,d jobs accepted%n", files.size(), jobs.size());
        if (!await) {
            return ExitCodes.OK;
        }
        JobWatcher.Outcome outcome = new JobWatcher(api, Duration.ofMillis(500))
                .await(jobs, Progress.Display.forOutput(out, System.console() != null));
        return report(outcome, out);
    }

    static int report(JobWatcher.Outcome outcome, PrintWriter out) {
        if (outcome.failed().isEmpty()) {
            out.printf("every file DONE (%,d)%n", outcome.progress().done());
            return ExitCodes.OK;
        }
        out.printf(
                "%,d of %,d files FAILED:%n",
                outcome.failed().size(), outcome.progress().total());
        outcome.failed().stream()
                .limit(20)
                .forEach(failed -> out.printf("  %s (job %s): %s%n", failed.name(), failed.jobId(), failed.error()));
        if (outcome.failed().size() > 20) {
            out.printf(
                    "  and %,d more: stowage status JOB lists them%n",
                    outcome.failed().size() - 20);
        }
        return ExitCodes.FILES_FAILED;
    }
}
