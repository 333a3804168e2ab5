package dev.stowage.gateway.datasets;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.ApiProblem;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/datasets} and {@code /api/v1/datasets/{name}}. */
@RestController
@RequestMapping("/api/v1/datasets")
class DatasetController {

    private final DatasetQueries datasets;

    DatasetController(DatasetQueries datasets) {
        this.datasets = datasets;
    }

    @GetMapping
    List<DatasetQueries.DatasetSummary> list(Caller caller) {
        return datasets.list(caller.tenant());
    }

    @GetMapping("/{name}")
    DatasetQueries.Dataset dataset(Caller caller, @PathVariable String name) {
        return datasets.find(caller.tenant(), name).orElseThrow(() -> ApiProblem.notFound("dataset", name));
    }
}
