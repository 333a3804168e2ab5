package dev.stowage.gateway.files;

import dev.stowage.gateway.access.Caller;
import dev.stowage.gateway.system.ApiProblem;
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
class FileController {

    private final FileQueries files;
    private final StoredData data;

    FileController(FileQueries files, StoredData data) {
        this.files = files;
        this.data = data;
    }

    /** The JSON rebuilt from the stored rows or documents: equal to the original value, key order aside. */
    @GetMapping("/{fileId}/data")
    ResponseEntity<StreamingResponseBody> data(Caller caller, @PathVariable UUID fileId) {
        StoredData.Data stored = data.find(caller.tenant(), fileId);
        MediaType type =
                stored.jsonLines() ? MediaType.parseMediaType("application/x-ndjson") : MediaType.APPLICATION_JSON;
        return ResponseEntity.ok().contentType(type).body(out -> stored.writer().writeTo(out));
    }

    @GetMapping("/{fileId}")
    FileView file(Caller caller, @PathVariable UUID fileId) {
        return files.find(caller.tenant(), fileId).orElseThrow(() -> ApiProblem.notFound("file", fileId));
    }

    @GetMapping("/{fileId}/content")
    ResponseEntity<StreamingResponseBody> content(Caller caller, @PathVariable UUID fileId) {
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
