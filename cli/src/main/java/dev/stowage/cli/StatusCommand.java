// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(
        name = "status",
        description = "Show a job: its status, progress and files. Exits 1 if any of its files FAILED.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Stowage stowage;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the job as the API answers it.")
    boolean json;

    @Parameters(paramLabel = "JOB", description = "The job's id.")
    String jobId;

    @Override
    public Integer call() {
        requireJobId(jobId);
        JsonNode job = stowage.api().get("/api/v1/jobs/" + jobId);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(job);
        } else {
            out.printf(
                    "job %s  %s  dataset %s%n",
                    job.get("jobId").asString(), job.get("status").asString(), JobWatcher.text(job.get("dataset")));
            out.println(Progress.of(job.get("progress")).counts());
            Table files = new Table("FILE", "STATUS", "ATTEMPTS", "STORAGE", "TABLE", "RECORDS", "ERROR");
            for (JsonNode file : job.get("files")) {
                files.row(
                        file.get("name").asString(),
                        file.get("status").asString(),
                        file.get("attempts").asString(),
                        JobWatcher.text(file.get("storage")),
                        JobWatcher.text(file.get("table")),
                        JobWatcher.text(file.get("records")),
                        JobWatcher.text(file.get("error")));
            }
            files.print(out);
        }
        return job.get("progress").get("failed").asLong() > 0 ? ExitCodes.FILES_FAILED : ExitCodes.OK;
    }

    /** A JOB argument must be a job id before it goes into a URL. */
    static void requireJobId(String jobId) {
        if (!jobId.matches("[0-9a-fA-F-]{36}")) {
            throw new CliException("JOB must be a job id (a UUID), not '" + jobId + "'.", ExitCodes.CANNOT);
        }
    }
}
