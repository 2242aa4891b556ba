package com.aiw3.messaging.kafka;

import com.aiw3.events.EventEnvelope;
import com.aiw3.messaging.EventLogContext;
import com.aiw3.messaging.tracing.MessageTracing;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.CompositeBatchInterceptor;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Adds to every listener container factory (Boot's and a service's own) interceptors that tell
 * {@link ConsumerStalls} when a record or batch was processed, which ends a stall, and that put a record's
 * event ids in the log context while it is processed ({@link EventLogContext}). Interceptors a factory
 * already has stay, and run first.
 */
final class StallTrackingInterceptors implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(StallTrackingInterceptors.class);

    private final ObjectProvider<ConsumerStalls> stalls;

    StallTrackingInterceptors(ObjectProvider<ConsumerStalls> stalls) {
        this.stalls = stalls;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractKafkaListenerContainerFactory factory) {
            RecordInterceptor ours = new Success(stalls);
            RecordInterceptor existingRecord = factory.getRecordInterceptor();
            factory.setRecordInterceptor(
                    existingRecord == null ? ours : new CompositeRecordInterceptor(existingRecord, ours));
            BatchInterceptor oursBatch = new Success(stalls);
            BatchInterceptor existingBatch = factory.getBatchInterceptor();
            factory.setBatchInterceptor(
                    existingBatch == null ? oursBatch : new CompositeBatchInterceptor(existingBatch, oursBatch));
        }
        return bean;
    }

    private record Success(ObjectProvider<ConsumerStalls> stalls)
            implements RecordInterceptor<Object, Object>, BatchInterceptor<Object, Object> {

        /** The record's event ids in the log context while the listener processes it. */
        @Override
        public ConsumerRecord<Object, Object> intercept(
                ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
            if (record.value() instanceof EventEnvelope<?> event) {
                EventLogContext.of(event);
                if (log.isDebugEnabled()) {
                    // DEBUG (the local run's --traces). The line names the trace the record continues, from its
                    // traceparent header, also for a container whose listener runs without a consumer span.
                    log.debug(
                            "consuming {} from {}-{}@{} in trace {}",
                            EventLogContext.describe(event),
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            MessageTracing.traceIdOf(record.headers()));
                }
            }
            return record;
        }

        @Override
        public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
            EventLogContext.clear();
        }

        @Override
        public ConsumerRecords<Object, Object> intercept(
                ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
            return records;
        }

        @Override
        public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
            succeeded(consumer);
        }

        @Override
        public void success(ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
            succeeded(consumer);
        }

        private void succeeded(Consumer<Object, Object> consumer) {
            stalls.getObject().succeeded(consumer.groupMetadata().groupId());
        }
    }
}
