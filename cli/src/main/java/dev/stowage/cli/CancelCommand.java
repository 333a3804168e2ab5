// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(
        name = "cancel",
        description = "Cancel a job: its files not started yet are never processed; files being processed finish."
                + " Cancelling a cancelled job again is harmless; a job that has ended cannot be cancelled.")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    Stowage stowage;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's id.")
    String jobId;

    @Override
    public Integer call() {
        StatusCommand.requireJobId(jobId);
        JsonNode job = stowage.api().post("/api/v1/jobs/" + jobId + "/cancel");
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "job %s  %s  cancelled at %s%n",
                jobId, job.get("status").asString(), job.get("cancelledAt").asString());
        out.println(Progress.of(job.get("progress")).counts());
        return ExitCodes.OK;
    }
}
