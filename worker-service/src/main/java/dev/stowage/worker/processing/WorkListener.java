package dev.stowage.worker.processing;

import com.rabbitmq.client.Channel;
import dev.stowage.model.FileMessage;
import dev.stowage.model.Topology;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/**
 * Acknowledges by hand, and only once the file's outcome is committed and any onward message confirmed. Nothing
 * a file contains can make this listener throw into the container's default requeue path.
 */
@Component
class WorkListener implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(WorkListener.class);

    private final FileProcessor processor;
    private final MessageConverter converter;
    private final String workQueue;

    WorkListener(FileProcessor processor, MessageConverter converter, Topology topology) {
        this.processor = processor;
        this.converter = converter;
        this.workQueue = topology.workQueue();
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        if (DeadLetterHistory.isPendingDeadLetter(message, workQueue)) {
            channel.basicReject(tag, false); // the work queue's dead-letter exchange takes it to the DLQ
            return;
        }
        if (!(readBody(message) instanceof FileMessage work)) {
            log.error("Unreadable work message {}, dead-lettered", message.getMessageProperties());
            channel.basicReject(tag, false);
            return;
        }
        switch (processor.process(work, message)) {
            case ACK -> channel.basicAck(tag, false);
            case REJECT -> channel.basicReject(tag, false);
            case REQUEUE -> channel.basicNack(tag, false, true);
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
