// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;

/** Names this worker process in attempt records: {@code host:pid}. */
@Component
class WorkerIdentity {

    private final String id;

    WorkerIdentity() {
        this.id = host() + ":" + ProcessHandle.current().pid();
    }

    String id() {
        return id;
    }

    private static String host() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
