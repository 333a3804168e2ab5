// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import dev.stowage.model.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.io.ContentReference;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a file's records: the elements of a top-level array, the values of JSON Lines, or the one document.
 * Only one record is in memory at a time. Duplicate keys in an object keep the last value, as PostgreSQL's jsonb
 * does. Any syntax error becomes an {@link InvalidJsonException} that names its line, column and byte offset; a
 * value that breaks one of the {@link JsonLimits} becomes a {@link JsonLimitException} that names the limit and
 * where.
 *
 * <p>The analysis reads a file first, within the configured limits ({@link #stream}). The static methods read it
 * again to store it, within the loosest limits any setting allows, so that raising a limit never breaks storing.
 */
public final class JsonRecords {

    private static final JsonRecords STORING = new JsonRecords(JsonLimits.loosest());

    /** Floats are read as BigDecimal so that no digit is lost between the file and the database. */
    public static final JsonMapper MAPPER = STORING.mapper;

    /** For a document read whole, anything after the value is an error. */
    private static final JsonMapper WHOLE = MAPPER.rebuild()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final JsonLimits limits;
    private final JsonMapper mapper;

    JsonRecords(JsonLimits limits) {
        this.limits = limits;
        this.mapper = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(limits.constraints())
                        .build())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // Records are read one by one from a shared parser: what follows a record is the next one.
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Reads every record of a file that passed analysis and hands it to {@code records}, one record in memory at a
     * time however large the file.
     *
     * @param jsonLines the upload said NDJSON: a single value is then one line, not a document
     * @return the shape of the file
     */
    public static Shape read(InputStream json, boolean jsonLines, Consumer<JsonNode> records) {
        return STORING.stream(json, jsonLines, records);
    }

    /** Reads a record from the parser's tokens, without building a tree of it where it need not. */
    public interface RecordReader {
        /**
         * Called with the parser on the record's first token; returns with it on the record's last token, as
         * {@code MAPPER.readTree(parser)} would.
         */
        void read(JsonParser parser) throws IOException;
    }

    /** The same, handing each record's tokens to {@code records} instead of a tree. */
    public static Shape readTokens(InputStream json, boolean jsonLines, RecordReader records) {
        return STORING.tokens(json, jsonLines, records);
    }

    /** The whole file as one tree, for documents stored whole (after analysis read it within the limits). */
    public static JsonNode readWhole(InputStream json) {
        try {
            return WHOLE.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new JsonLimitException("Limit exceeded: " + e.getOriginalMessage(), e);
        } catch (JacksonIOException e) {
            throw unreadable(e);
        } catch (JacksonException e) {
            throw invalid(e);
        }
    }

    /**
     * Reading the bytes failed (their chunks come from the database): not the file's fault, so not InvalidJson,
     * which would fail it for good; the cause is classified as the transient failure it is.
     */
    private static UncheckedIOException unreadable(JacksonIOException e) {
        IOException cause = e.getCause();
        return new UncheckedIOException(cause != null ? cause : new IOException(e.getMessage(), e));
    }

    /** Reads every record within the limits and hands it to {@code records}, one record in memory at a time. */
    Shape stream(InputStream json, boolean jsonLines, Consumer<JsonNode> records) {
        return tokens(json, jsonLines, trees(records));
    }

    /** Reads every record within the limits and hands its tokens to {@code records}. */
    Shape tokens(InputStream json, boolean jsonLines, RecordReader records) {
        RecentBytes recent = new RecentBytes(json);
        try {
            return stream(mapper.createParser(recent), jsonLines, records);
        } catch (InvalidJsonException e) {
            throw notUtf8(recent, e);
        }
    }

    private RecordReader trees(Consumer<JsonNode> records) {
        return parser -> records.accept(mapper.readTree(parser));
    }

    private Shape stream(JsonParser source, boolean jsonLines, RecordReader records) {
        // Without a limit on keys (storing, after the analysis enforced it) the counting wrapper is only cost.
        JsonParser parser =
                limits.maxKeysPerObject() == Integer.MAX_VALUE ? source : new KeyCountingParser(source, limits);
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidJsonException("The file holds no JSON value, only white space.");
            }
            long count = 0;
            if (first == JsonToken.START_ARRAY && !jsonLines) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    readRecord(parser, count++, records);
                }
                expectEnd(parser);
                return Shape.ARRAY;
            }
            readRecord(parser, count++, records);
            int valueEnd = parser.currentTokenLocation().getLineNr();
            if (parser.nextToken() == null && !jsonLines) {
                return Shape.DOCUMENT;
            }
            while (parser.currentToken() != null) {
                // JSON Lines: one value per line. `{"a": true} "x"` is a value followed by garbage, not two lines.
                if (parser.currentTokenLocation().getLineNr() == valueEnd) {
                    throw invalidAt(
                            parser.currentTokenLocation(),
                            "Unexpected content after the JSON value on the same line (JSON Lines hold one value per line)");
                }
                readRecord(parser, count++, records);
                valueEnd = parser.currentTokenLocation().getLineNr();
                parser.nextToken();
            }
            return Shape.JSON_LINES;
        } catch (StreamConstraintsException e) {
            throw JsonLimit.enforcedBy(e)
                    .map(limit -> new JsonLimitException(limit, limits, whereBroken(limit, parser), e))
                    .orElseGet(() -> new JsonLimitException(
                            position("Limit exceeded", parser.currentLocation()) + ": " + e.getOriginalMessage(), e));
        } catch (JacksonIOException e) {
            throw unreadable(e);
        } catch (JacksonException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands the record at {@code index}, whose first token is the parser's current one, to {@code records}. */
    private void readRecord(JsonParser parser, long index, RecordReader records) throws IOException {
        if (index >= limits.maxRecordsPerFile()) {
            throw new JsonLimitException(JsonLimit.RECORDS_PER_FILE, limits, parser.currentTokenLocation(), null);
        }
        records.read(parser);
    }

    /** Where the value that broke one of Jackson's limits starts; for a key, where its object starts. */
    private static TokenStreamLocation whereBroken(JsonLimit limit, JsonParser parser) {
        // Jackson checks a key's length before the key becomes the current token, so where it starts is not known.
        return limit == JsonLimit.KEY_LENGTH
                ? parser.streamReadContext().startLocation(ContentReference.unknown())
                : parser.currentTokenLocation();
    }

    private static void expectEnd(JsonParser parser) {
        JsonToken extra = parser.nextToken();
        if (extra != null) {
            throw invalidAt(parser.currentLocation(), "Unexpected content after the top-level array: " + extra);
        }
    }

    /**
     * A file that is not UTF-8 where the parser stopped is invalid for that reason, whatever the parser made of the
     * bytes that followed (a file it decoded as UTF-16 or UTF-32 has no byte offsets, and is not checked).
     */
    private static InvalidJsonException notUtf8(RecentBytes recent, InvalidJsonException e) {
        if (e.byteOffset() < 0 || e.getMessage().contains("not UTF-8")) {
            return e; // decoded as UTF-16 or UTF-32, or the parser itself found the byte and said where
        }
        RecentBytes.NotUtf8 bad = recent.firstNotUtf8();
        if (bad == null || bad.offset() > e.byteOffset()) {
            return e;
        }
        return new InvalidJsonException(
                "Invalid JSON at byte %d: the file is not UTF-8: byte 0x%02X there starts no UTF-8 character. Save the file as UTF-8."
                        .formatted(bad.offset(), bad.value()),
                e);
    }

    private static InvalidJsonException invalid(JacksonException e) {
        TokenStreamLocation where = e.getLocation();
        String what = JsonErrors.describe(e.getOriginalMessage());
        return where == null ? new InvalidJsonException("Invalid JSON: " + what, e) : invalidAt(where, what, e);
    }

    private static InvalidJsonException invalidAt(TokenStreamLocation where, String what) {
        return invalidAt(where, what, null);
    }

    private static InvalidJsonException invalidAt(TokenStreamLocation where, String what, Throwable cause) {
        return new InvalidJsonException(position(where) + ": " + what, where.getByteOffset(), cause);
    }

    private static String position(TokenStreamLocation where) {
        return position("Invalid JSON", where);
    }

    static String position(String what, TokenStreamLocation where) {
        String at = "%s at line %d, column %d".formatted(what, where.getLineNr(), where.getColumnNr());
        // The byte offset is unknown (-1) when the parser decoded the file as UTF-16 or UTF-32.
        return where.getByteOffset() < 0 ? at : at + " (byte %d)".formatted(where.getByteOffset());
    }
}
