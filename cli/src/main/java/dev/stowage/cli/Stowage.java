// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code stowage} command: picocli parses, each subcommand does one thing, failures end in one line. */
@Command(
        name = "stowage",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        subcommands = {
            UploadCommand.class,
            StatusCommand.class,
            JobsCommand.class,
            CancelCommand.class,
            DeadLettersCommand.class
        },
        description = "Upload JSON files to Stowage and watch them become PostgreSQL tables and documents.",
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  STOWAGE_URL       the gateway, default " + Api.DEFAULT_URL,
            "  STOWAGE_API_KEY   the API key (never given on the command line: see --api-key-file)",
            "",
            "Exit codes: 0 done (every file DONE), 1 some file FAILED, 2 wrong usage, no key, server unreachable"
                    + " or refusing."
        })
public final class Stowage {

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Read the API key from this file instead of STOWAGE_API_KEY.")
    Path apiKeyFile;

    Api api() {
        return Api.fromEnvironment(System.getenv(), apiKeyFile);
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine command = new CommandLine(new Stowage())
                .setOut(out)
                .setErr(err)
                .setExitCodeExceptionMapper(e -> e instanceof CliException cli ? cli.exitCode() : ExitCodes.CANNOT)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    line.getErr().println("stowage: " + (e instanceof CliException ? e.getMessage() : e.toString()));
                    return line.getExitCodeExceptionMapper().getExitCode(e);
                });
        return command.execute(args); // picocli's own exit code for wrong usage is 2, ExitCodes.CANNOT
    }
}
