// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Follows jobs until every one has ended: reads each unfinished job's view once per interval, sending the entity
 * tag it has (an unchanged job answers 304, no body), and shows the sum of their progress.
 */
final class JobWatcher {

    /** A file that FAILED: its job, name and the error the server gave. */
    record Failed(String jobId, String name, String error) {}

    record Outcome(Progress progress, List<Failed> failed) {}

    private final Api api;
    private final Duration interval;

    JobWatcher(Api api, Duration interval) {
        this.api = api;
        this.interval = interval;
    }

    Outcome await(List<String> jobIds, Progress.Display display) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        Map<String, String> etags = new LinkedHashMap<>();
        while (true) {
            for (String jobId : jobIds) {
                JsonNode view = views.get(jobId);
                if (view != null
                        && view.get("finishedAt") != null
                        && !view.get("finishedAt").isNull()) {
                    continue;
                }
                api.getIfChanged("/api/v1/jobs/" + jobId, etags.get(jobId)).ifPresent(tagged -> {
                    views.put(jobId, tagged.body());
                    etags.put(jobId, tagged.etag());
                });
            }
            Progress progress = views.values().stream()
                    .map(view -> Progress.of(view.get("progress")))
                    .reduce(Progress.NONE, Progress::plus);
            if (views.size() == jobIds.size() && progress.ended()) {
                display.end(progress);
                return new Outcome(progress, failed(views));
            }
            display.show(progress);
            sleep();
        }
    }

    private static List<Failed> failed(Map<String, JsonNode> views) {
        List<Failed> failed = new ArrayList<>();
        views.forEach((jobId, view) -> {
            for (JsonNode file : view.get("files")) {
                if ("FAILED".equals(file.get("status").asString())) {
                    failed.add(new Failed(jobId, file.get("name").asString(), text(file.get("error"))));
                }
            }
        });
        return failed;
    }

    static String text(JsonNode value) {
        return value == null || value.isNull() ? "" : value.asString();
    }

    private void sleep() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", ExitCodes.CANNOT);
        }
    }
}
