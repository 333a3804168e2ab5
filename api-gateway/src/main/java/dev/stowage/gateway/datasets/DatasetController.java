// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.datasets;

import static dev.stowage.gateway.system.ProblemType.INVALID_DATASET;
import static dev.stowage.gateway.system.ProblemType.NOT_FOUND;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/datasets} and {@code /api/v1/datasets/{name}}. */
@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "The tables and documents the stored files made.")
class DatasetController {

    private final DatasetQueries datasets;

    DatasetController(DatasetQueries datasets) {
        this.datasets = datasets;
    }

    @GetMapping
    @Operation(operationId = "listDatasets", summary = "The tenant's datasets with their files and records")
    @ApiResponse(responseCode = "200", description = "Every dataset with at least one stored file")
    List<DatasetQueries.DatasetSummary> list(Caller caller) {
        return datasets.list(caller.tenant());
    }

    @GetMapping("/{name}")
    @Operation(
            operationId = "getDataset",
            summary = "One dataset: its table's columns (name, SQL type, JSON path), rows, documents and files")
    @ApiResponse(responseCode = "200", description = "The dataset")
    @Problems({INVALID_DATASET, NOT_FOUND})
    DatasetQueries.Dataset dataset(
            Caller caller,
            @PathVariable
                    @Parameter(
                            description = "The dataset's name, as given at upload",
                            schema = @Schema(pattern = DatasetName.PATTERN, maxLength = 63))
                    String name) {
        DatasetName.require("name", name); // a name no dataset can have is a mistake, not an unknown dataset
        return datasets.find(caller.tenant(), name).orElseThrow(() -> ApiProblem.notFound("dataset", name));
    }
}
