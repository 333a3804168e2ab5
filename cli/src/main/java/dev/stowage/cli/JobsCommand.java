// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "jobs", description = "List jobs, newest first.")
final class JobsCommand implements Callable<Integer> {

    @ParentCommand
    Stowage stowage;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only jobs in this status: QUEUED, PROCESSING, DONE, PARTIALLY_FAILED, FAILED, CANCELLED.")
    String status;

    @Option(names = "--page", defaultValue = "0", description = "Page, from 0; default ${DEFAULT-VALUE}.")
    int page;

    @Option(names = "--size", defaultValue = "20", description = "Jobs per page, 1-100; default ${DEFAULT-VALUE}.")
    int size;

    @Override
    public Integer call() {
        String query = "?page=" + page + "&size=" + size
                + (status == null ? "" : "&status=" + status.toUpperCase(java.util.Locale.ROOT));
        JsonNode answer = stowage.api().get("/api/v1/jobs" + query);
        Table jobs = new Table("JOB", "STATUS", "DATASET", "DONE", "FAILED", "TOTAL", "CREATED");
        for (JsonNode job : answer.get("jobs")) {
            JsonNode progress = job.get("progress");
            jobs.row(
                    job.get("jobId").asString(),
                    job.get("status").asString(),
                    JobWatcher.text(job.get("dataset")),
                    progress.get("done").asString(),
                    progress.get("failed").asString(),
                    progress.get("total").asString(),
                    JobWatcher.text(job.get("createdAt")));
        }
        jobs.print(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
