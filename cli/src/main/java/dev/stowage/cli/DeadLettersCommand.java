// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(
        name = "dead-letters",
        description = {
            "List the files that failed for good (an ADMIN key), or replay them: --replay replays every one that"
                    + " matches the filters, --replay-file one file."
        })
final class DeadLettersCommand implements Callable<Integer> {

    @ParentCommand
    Stowage stowage;

    @Spec
    CommandSpec spec;

    @Option(names = "--job", paramLabel = "JOB", description = "Only this job's files.")
    String jobId;

    @Option(names = "--error-class", paramLabel = "CLASS", description = "Only files that failed with this class.")
    String errorClass;

    @Option(names = "--replay", description = "Replay every dead letter that matches the filters.")
    boolean replay;

    @Option(names = "--replay-file", paramLabel = "FILE_ID", description = "Replay this one file.")
    String replayFile;

    @Option(names = "--page", defaultValue = "0", description = "Page, from 0; default ${DEFAULT-VALUE}.")
    int page;

    @Option(names = "--size", defaultValue = "50", description = "Per page, 1-500; default ${DEFAULT-VALUE}.")
    int size;

    @Override
    public Integer call() {
        Api api = stowage.api();
        PrintWriter out = spec.commandLine().getOut();
        if (replayFile != null) {
            JsonNode replayed = api.post("/api/v1/admin/dead-letters/" + encoded(replayFile) + "/replay");
            out.printf("replayed %s file(s)%n", replayed.get("replayed").asString());
            return ExitCodes.OK;
        }
        if (replay) {
            JsonNode replayed = api.post("/api/v1/admin/dead-letters/replay" + filters());
            out.printf("replayed %s file(s)%n", replayed.get("replayed").asString());
            return ExitCodes.OK;
        }
        String query = filters();
        query += (query.isEmpty() ? "?" : "&") + "page=" + page + "&size=" + size;
        JsonNode answer = api.get("/api/v1/admin/dead-letters" + query);
        out.printf(
                "%s messages in %s%n",
                answer.get("messagesInQueue").asString(), answer.get("queue").asString());
        Table letters = new Table("FILE_ID", "JOB", "NAME", "ATTEMPTS", "ERROR_CLASS", "ERROR");
        for (JsonNode letter : answer.get("deadLetters")) {
            letters.row(
                    letter.get("fileId").asString(),
                    letter.get("jobId").asString(),
                    letter.get("name").asString(),
                    letter.get("attempts").asString(),
                    JobWatcher.text(letter.get("errorClass")),
                    JobWatcher.text(letter.get("error")));
        }
        letters.print(out);
        return ExitCodes.OK;
    }

    private String filters() {
        List<String> parameters = new ArrayList<>();
        if (jobId != null) {
            parameters.add("jobId=" + encoded(jobId));
        }
        if (errorClass != null) {
            parameters.add("errorClass=" + encoded(errorClass));
        }
        return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
