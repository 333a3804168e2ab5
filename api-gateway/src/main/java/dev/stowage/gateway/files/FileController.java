// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.files;

import static dev.stowage.gateway.system.ProblemType.INVALID_PARAMETER;
import static dev.stowage.gateway.system.ProblemType.NOT_FOUND;
import static dev.stowage.gateway.system.ProblemType.NOT_STORED;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.ApiProblem;
import dev.stowage.gateway.system.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** {@code GET /api/v1/files/{id}}, {@code /content} (the original bytes unchanged) and {@code /data}. */
@RestController
@RequestMapping("/api/v1/files")
@Tag(name = "Files", description = "One uploaded file: its status and attempts, its original bytes, its stored data.")
class FileController {

    private static final String FILE_ID = "The file's id, as its job lists it";

    private final FileQueries files;
    private final StoredData data;

    FileController(FileQueries files, StoredData data) {
        this.files = files;
        this.data = data;
    }

    /** The JSON rebuilt from the stored rows or documents: equal to the original value, key order aside. */
    @GetMapping("/{fileId}/data")
    @Operation(
            operationId = "getFileData",
            summary = "The file's data as stored, rebuilt as JSON (NDJSON for a JSON Lines file)",
            description = "Equal to the original value, key order aside; available once the file is DONE.")
    @ApiResponse(
            responseCode = "200",
            description = "The data",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema =
                                @Schema(
                                        types = {"array", "object", "string", "number", "boolean", "null"},
                                        description = "The file's JSON value")),
                @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string"))
            })
    @Problems({INVALID_PARAMETER, NOT_FOUND, NOT_STORED})
    ResponseEntity<StreamingResponseBody> data(
            Caller caller, @PathVariable @Parameter(description = FILE_ID) UUID fileId) {
        StoredData.Data stored = data.find(caller.tenant(), fileId);
        MediaType type =
                stored.jsonLines() ? MediaType.parseMediaType("application/x-ndjson") : MediaType.APPLICATION_JSON;
        return ResponseEntity.ok().contentType(type).body(out -> stored.writer().writeTo(out));
    }

    @GetMapping("/{fileId}")
    @Operation(
            operationId = "getFile",
            summary = "A file: status, every attempt, where and how it was stored, the analysis report")
    @ApiResponse(responseCode = "200", description = "The file")
    @Problems({INVALID_PARAMETER, NOT_FOUND})
    FileView file(Caller caller, @PathVariable @Parameter(description = FILE_ID) UUID fileId) {
        return files.find(caller.tenant(), fileId).orElseThrow(() -> ApiProblem.notFound("file", fileId));
    }

    @GetMapping("/{fileId}/content")
    @Operation(
            operationId = "getFileContent",
            summary = "The file's original bytes, unchanged, as a download",
            description = "With the content type it was uploaded with.")
    @ApiResponse(
            responseCode = "200",
            description = "The original bytes",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
    @Problems({INVALID_PARAMETER, NOT_FOUND})
    ResponseEntity<StreamingResponseBody> content(
            Caller caller, @PathVariable @Parameter(description = FILE_ID) UUID fileId) {
        FileQueries.Content content =
                files.content(caller.tenant(), fileId).orElseThrow(() -> ApiProblem.notFound("file", fileId));
        // Served as a download, never rendered: the bytes are the client's and unchecked.
        return ResponseEntity.ok()
                .contentType(mediaType(content.contentType()))
                .contentLength(content.size())
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(out -> files.writeContent(content, out));
    }

    private static MediaType mediaType(String stored) {
        try {
            return MediaType.parseMediaType(stored);
        } catch (IllegalArgumentException e) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
    }
}
