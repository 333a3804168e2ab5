// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.analysis;

import java.util.regex.Pattern;

/**
 * The parser's complaint about a file in words for the file's owner: what is wrong, without the parser's own names
 * for its tokens and settings, which say nothing to someone who only has the file.
 */
final class JsonErrors {

    /** The parser appends where an unclosed value started as "[Source: REDACTED …]": the position says it better. */
    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?(start marker at )?\\[Source: [^\\]]*\\]\\)?");

    private JsonErrors() {}

    static String describe(String parserMessage) {
        String message =
                SOURCE.matcher(parserMessage == null ? "" : parserMessage).replaceAll("");
        if (message.startsWith("Unexpected end-of-input")) {
            return endOfInput(message);
        }
        if (message.startsWith("Invalid UTF-8")) {
            return "the file is not UTF-8 (" + message + "). Save the file as UTF-8.";
        }
        if (message.startsWith("Trailing token")) {
            return "a second JSON value follows the first; a file holds one value (upload it as NDJSON for one"
                    + " value per line)";
        }
        return message;
    }

    private static String endOfInput(String message) {
        if (message.contains("close marker for Object") || message.contains("Object entries")) {
            return "the file ends inside an object: its closing '}' is missing (is the file cut short?)";
        }
        if (message.contains("close marker for Array")) {
            return "the file ends inside an array: its closing ']' is missing (is the file cut short?)";
        }
        if (message.contains("VALUE_STRING")) {
            return "the file ends inside a string: its closing '\"' is missing (is the file cut short?)";
        }
        if (message.contains("property name")) {
            return "the file ends inside a property name: its closing '\"' is missing (is the file cut short?)";
        }
        return "the file ends before its JSON value is complete (is the file cut short?)";
    }
}
