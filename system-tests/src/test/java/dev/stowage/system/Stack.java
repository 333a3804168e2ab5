// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import dev.stowage.testing.StowageClient;
import dev.stowage.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway and two workers (concurrency 4 each) from their jars, in this run's own namespace; started once for
 * all system tests of the JVM and stopped (SIGTERM) and cleaned up when it exits.
 */
final class Stack {

    private static Stack running;

    final TestServices services = TestServices.isolated();
    final List<ServiceProcess> processes = new ArrayList<>();
    final StowageClient api;

    private Stack() {
        Map<String, String> environment = services.environment();
        // Short lock waits keep the lock-timeout scenarios quick; the retry delays stay the defaults (1, 2, 4 s).
        environment.put("STOWAGE_WORKER_LOCK_TIMEOUT", "500ms");
        ServiceProcess gateway = ServiceProcess.start("gateway", "api-gateway", environment);
        processes.add(gateway);
        // The gateway migrates the schema first, so the workers never race it for Flyway's lock at the start.
        gateway.awaitHealthy();
        for (String worker : List.of("worker-1", "worker-2")) {
            processes.add(ServiceProcess.start(worker, "worker-service", environment));
        }
        processes.forEach(ServiceProcess::awaitHealthy);
        api = new StowageClient(gateway.base(), services.adminKey);
    }

    static synchronized Stack get() {
        if (running == null) {
            running = new Stack();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
        }
        return running;
    }

    private void stop() {
        try {
            for (ServiceProcess process : processes) {
                process.close();
            }
            services.cleanUp();
        } catch (Exception e) {
            System.err.println("Stopping the system-test stack: " + e);
        }
    }
}
