// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker.processing;

import com.rabbitmq.client.Channel;
import dev.stowage.model.FileMessage;
import dev.stowage.model.Topology;
import dev.stowage.worker.analysis.JsonRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectReader;

/**
 * Receives the work queue's messages in batches and acknowledges by hand, each message only once its file's outcome
 * is committed and any onward message confirmed. Nothing a file contains can make this listener throw into the
 * container's default requeue path.
 */
@Component
class WorkListener implements ChannelAwareBatchMessageListener {

    private static final Logger log = LoggerFactory.getLogger(WorkListener.class);

    /**
     * Reads the body as the one type it may be, without a message converter's type mapping (the sender's type
     * header, a class name checked against trusted packages by a regular expression), which every message of every
     * small file would pay for.
     */
    private static final ObjectReader WORK = JsonRecords.MAPPER.readerFor(FileMessage.class);

    private final FileProcessor processor;
    private final String workQueue;

    WorkListener(FileProcessor processor, Topology topology) {
        this.processor = processor;
        this.workQueue = topology.workQueue();
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        List<FileProcessor.Delivery> work = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Message message : messages) {
            if (DeadLetterHistory.isPendingDeadLetter(message, workQueue)) {
                outcomes.add(Outcome.REJECT); // the work queue's dead-letter exchange takes it to the DLQ
            } else if (readBody(message) instanceof FileMessage file) {
                work.add(new FileProcessor.Delivery(file, message));
                outcomes.add(null);
            } else {
                log.error("Unreadable work message {}, dead-lettered", message.getMessageProperties());
                outcomes.add(Outcome.REJECT);
            }
        }
        Iterator<Outcome> processed = work.isEmpty()
                ? Collections.emptyIterator()
                : processor.process(work).iterator();
        outcomes.replaceAll(outcome -> outcome != null ? outcome : processed.next());
        try {
            settle(messages, outcomes, channel);
        } catch (IOException e) {
            // The channel is gone: the broker redelivers what was not settled, and redeliveries store nothing twice.
            throw RabbitExceptionTranslator.convertRabbitAccessException(e);
        }
    }

    /**
     * One ack for the whole batch when every message is done with: the container hands this channel's deliveries
     * over in order and waits for each batch to be settled, so no earlier delivery is pending.
     */
    private static void settle(List<Message> messages, List<Outcome> outcomes, Channel channel) throws IOException {
        if (outcomes.stream().allMatch(outcome -> outcome == Outcome.ACK)) {
            channel.basicAck(tag(messages.get(messages.size() - 1)), true);
            return;
        }
        for (int i = 0; i < messages.size(); i++) {
            long tag = tag(messages.get(i));
            switch (outcomes.get(i)) {
                case ACK -> channel.basicAck(tag, false);
                case REJECT -> channel.basicReject(tag, false);
                case REQUEUE -> channel.basicNack(tag, false, true);
            }
        }
    }

    private static long tag(Message message) {
        return message.getMessageProperties().getDeliveryTag();
    }

    private static Object readBody(Message message) {
        try {
            FileMessage work = WORK.readValue(message.getBody());
            return work.jobId() == null || work.fileId() == null ? null : work;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
