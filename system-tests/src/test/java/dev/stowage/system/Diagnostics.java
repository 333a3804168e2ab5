// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import dev.stowage.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

/** What a failed system test prints so that its cause can be found from the CI log alone. */
final class Diagnostics {

    private Diagnostics() {}

    static String unfinished(TestServices services, String jobId) {
        StringBuilder report = new StringBuilder();
        try (Connection db = services.database();
                PreparedStatement query = db.prepareStatement("select f.name, f.status, f.attempts, j.published_at,"
                        + " f.error, (select string_agg(a.attempt || ' ' || a.worker || ' ' || a.started_at || ' '"
                        + " || coalesce(a.outcome, 'open'), '; ') from " + services.schema + ".attempts a"
                        + " where a.file_id = f.id) from " + services.schema + ".files f join " + services.schema
                        + ".jobs j on j.id = f.job_id where f.job_id = ? and f.status <> 'DONE' order by f.ordinal")) {
            query.setObject(1, UUID.fromString(jobId));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    report.append("  %s %s attempts=%d published=%s error=%s [%s]%n"
                            .formatted(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getInt(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6)));
                }
            }
            for (String queue : services.topology().queues()) {
                report.append("  queue %s: %d ready%n".formatted(queue, services.messageCount(queue)));
            }
        } catch (Exception e) {
            report.append("  (diagnostics failed: ").append(e).append(')');
        }
        return report.toString();
    }
}
