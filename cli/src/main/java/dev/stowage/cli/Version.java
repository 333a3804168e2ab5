// SPDX-License-Identifier: Apache-2.0
package dev.stowage.cli;

import picocli.CommandLine;

/** The version this jar was built as (its manifest's Implementation-Version). */
final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Stowage.class.getPackage().getImplementationVersion();
        return new String[] {"stowage " + (version == null ? "(development build)" : version)};
    }
}
