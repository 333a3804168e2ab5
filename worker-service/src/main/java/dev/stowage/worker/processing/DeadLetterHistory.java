// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import dev.stowage.model.Topology;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.Message;

/** Reads what RabbitMQ's {@code x-death} header says about where a message has been. */
final class DeadLetterHistory {

    private DeadLetterHistory() {}

    /** The message was dead-lettered from {@code queue} before, and someone moved it back (a replay). */
    static boolean wasDeadLetteredFrom(Message message, String queue) {
        List<Map<String, ?>> deaths = message.getMessageProperties().getXDeathHeader();
        return deaths != null && deaths.stream().anyMatch(death -> queue.equals(String.valueOf(death.get("queue"))));
    }

    /**
     * Our marked copy of a failed file's message, not yet dead-lettered: to be rejected at once so that the work
     * queue's dead-letter exchange moves it to the DLQ. Once it has been through the DLQ it is a replay instead.
     */
    static boolean isPendingDeadLetter(Message message, String workQueue) {
        return Boolean.TRUE.equals(message.getMessageProperties().getHeader(Topology.DEAD_LETTER_HEADER))
                && !wasDeadLetteredFrom(message, workQueue);
    }
}
