// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stowage.testing.Corpora;
import dev.stowage.testing.Multipart;
import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two tenants through the whole pipeline: the same dataset name gives each its own table, and neither sees the
 * other's jobs, files, data, datasets or dead letters. The worker takes the tenant from the file row, never from
 * the message.
 */
class TenantsIT {

    static TestServices services;
    static StowageClient ours;
    static StowageClient theirs;

    @BeforeAll
    static void startStack() {
        Stack stack = Stack.get();
        services = stack.services;
        ours = stack.api.as(services.userKey);
        theirs = stack.api.as(services.otherTenantKey);
    }

    @Test
    void sameDatasetNameIsTwoTablesAndEachTenantSeesOnlyItsOwn() throws Exception {
        byte[] cars = Corpora.bytes("vega/cars.json");
        byte[] gapminder = Corpora.bytes("vega/gapminder.json");
        JsonNode ourJob = Jobs.awaitEnded(ours, upload(ours, "cars.json", cars, "fleet"));
        JsonNode theirJob = Jobs.awaitEnded(theirs, upload(theirs, "gapminder.json", gapminder, "fleet"));
        assertThat(ourJob.get("status").asString()).isEqualTo("DONE");
        assertThat(theirJob.get("status").asString()).isEqualTo("DONE");

        String ourTable = services.datasetsSchema + ".fleet";
        String theirTable = services.datasetsSchema + "__other.fleet";
        assertThat(ourJob.get("files").get(0).get("table").asString()).isEqualTo(ourTable);
        assertThat(theirJob.get("files").get(0).get("table").asString()).isEqualTo(theirTable);
        assertThat(services.count("select count(*) from " + ourTable)).isEqualTo(406);
        assertThat(services.count("select count(*) from " + theirTable)).isEqualTo(682);

        JsonNode ourDataset = ours.get("/api/v1/datasets/fleet").json();
        JsonNode theirDataset = theirs.get("/api/v1/datasets/fleet").json();
        assertThat(ourDataset.get("rows").asLong()).isEqualTo(406);
        assertThat(theirDataset.get("rows").asLong()).isEqualTo(682);
        assertThat(ourDataset.get("columns").toString()).contains("horsepower").doesNotContain("life_expect");
        assertThat(theirDataset.get("columns").toString())
                .contains("life_expect")
                .doesNotContain("horsepower");

        String ourFile = ourJob.get("files").get(0).get("fileId").asString();
        String theirFile = theirJob.get("files").get(0).get("fileId").asString();
        assertThat(ours.get("/api/v1/files/" + ourFile + "/data").status()).isEqualTo(200);
        assertThat(theirs.get("/api/v1/files/" + theirFile + "/data").status()).isEqualTo(200);
        for (String path : new String[] {"", "/content", "/data"}) {
            assertThat(theirs.get("/api/v1/files/" + ourFile + path).status()).isEqualTo(404);
            assertThat(ours.get("/api/v1/files/" + theirFile + path).status()).isEqualTo(404);
        }
        assertThat(ours.get("/api/v1/datasets").json().toString()).doesNotContain(theirFile);
        assertThat(theirs.get("/api/v1/datasets").json())
                .allSatisfy(
                        dataset -> assertThat(dataset.get("records").asLong()).isEqualTo(682));
    }

    @Test
    void deadLettersBelongToTheirTenant() {
        byte[] broken = Corpora.bytes("jsontestsuite/n_object_missing_value.json");
        JsonNode theirJob = Jobs.awaitEnded(theirs, upload(theirs, "broken.json", broken, null));
        assertThat(theirJob.get("status").asString()).isEqualTo("FAILED");
        String fileId = theirJob.get("files").get(0).get("fileId").asString();

        StowageClient theirAdmin = theirs; // the other tenant's key is an ADMIN key
        assertThat(theirAdmin
                        .get("/api/v1/admin/dead-letters")
                        .json()
                        .get("deadLetters")
                        .toString())
                .contains(fileId);
        StowageClient ourAdmin = ours.as(services.adminKey);
        assertThat(ourAdmin.get("/api/v1/admin/dead-letters")
                        .json()
                        .get("deadLetters")
                        .toString())
                .doesNotContain(fileId);
        assertThat(ourAdmin.post("/api/v1/admin/dead-letters/" + fileId + "/replay", "application/json", new byte[0])
                        .status())
                .isEqualTo(404);
    }

    private static String upload(StowageClient client, String name, byte[] bytes, String dataset) {
        Multipart upload = new Multipart().file("files", name, "application/json", bytes);
        if (dataset != null) {
            upload.field("dataset", dataset);
        }
        return Jobs.upload(client, upload);
    }
}
