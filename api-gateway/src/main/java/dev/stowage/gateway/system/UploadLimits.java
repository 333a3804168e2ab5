// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What one upload may hold. Spring's multipart limits and Tomcat's part count are derived from these
 * ({@code application.yml}, {@link ServerLimits}), so there is one set of numbers to change.
 *
 * @param maxFileSize {@code STOWAGE_UPLOAD_MAX_FILE_SIZE}: largest single file
 * @param maxRequestSize {@code STOWAGE_UPLOAD_MAX_REQUEST_SIZE}: largest whole request
 * @param maxFilesPerRequest {@code STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST}: most files in one job
 */
@Validated
@ConfigurationProperties("stowage.upload")
public record UploadLimits(
        @DefaultValue("100MB") DataSize maxFileSize,
        @DefaultValue("1GB") DataSize maxRequestSize,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxFilesPerRequest) {

    public String describe() {
        return "An upload may hold at most %d files of at most %s each and %s in all. Split it into several jobs, or raise STOWAGE_UPLOAD_MAX_FILE_SIZE, STOWAGE_UPLOAD_MAX_REQUEST_SIZE or STOWAGE_UPLOAD_MAX_FILES_PER_REQUEST."
                .formatted(maxFilesPerRequest, readable(maxFileSize), readable(maxRequestSize));
    }

    /** 100MB rather than DataSize's 104857600B. */
    static String readable(DataSize size) {
        long bytes = size.toBytes();
        for (String unit : new String[] {"GB", "MB", "KB"}) {
            long unitBytes = DataSize.parse("1" + unit).toBytes();
            if (bytes >= unitBytes && bytes % unitBytes == 0) {
                return bytes / unitBytes + unit;
            }
        }
        return bytes + "B";
    }
}
