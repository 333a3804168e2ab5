package dev.stowage.worker.processing;

import com.rabbitmq.client.Channel;
import dev.stowage.model.FileMessage;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/**
 * Acknowledges by hand, and only after the outcome is committed: ack when stored (or nothing to do), reject
 * without requeue when the failure is recorded, so the work queue's dead-letter exchange parks it. Nothing a file
 * contains can make this listener throw into the container's default requeue path.
 */
@Component
class WorkListener implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(WorkListener.class);

    private final FileProcessor processor;
    private final MessageConverter converter;

    WorkListener(FileProcessor processor, MessageConverter converter) {
        this.processor = processor;
        this.converter = converter;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        if (!(readBody(message) instanceof FileMessage work)) {
            log.error("Unreadable work message {}, dead-lettered", message.getMessageProperties());
            channel.basicReject(tag, false);
            return;
        }
        Outcome outcome;
        try {
            outcome = processor.process(work);
        } catch (RuntimeException e) {
            // Could not even record an outcome (database away): give the message back for another try.
            log.error("File {} not processed, returned to the queue: {}", work.fileId(), e.toString());
            channel.basicNack(tag, false, true);
            return;
        }
        switch (outcome) {
            case DONE, SKIPPED -> channel.basicAck(tag, false);
            case FAILED -> channel.basicReject(tag, false);
        }
    }

    private Object readBody(Message message) {
        try {
            return converter.fromMessage(message);
        } catch (RuntimeException e) {
            return e;
        }
    }
}
