package com.aiw3.messaging.kafka;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.serde.EventDeserializer;
import com.aiw3.events.serde.EventSerializer;
import com.aiw3.events.serde.MalformedEventException;
import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.TopicProvisioning;
import com.aiw3.events.topic.Topics;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.messaging.NonRetryableEventException;
import com.aiw3.messaging.tracing.MessageTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka conventions of every service: idempotent producers with {@code acks=all}, envelopes as
 * values and the aggregate as key, poison-tolerant consumers that retry a failure that may pass until it
 * passes and dead-letter only what can never be processed, and every topic of the registry declared.
 * Templates and listener containers are observed: a send carries the W3C {@code traceparent} of the current
 * span in the record's headers, and a listener continues that trace.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class KafkaConventionsAutoConfiguration {

    /** Settings no service may weaken: they are what "at least once, in order per key" rests on. */
    static Map<String, Object> reliableProducerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer aiw3ProducerConventions() {
        return factory -> {
            Map<String, Object> config = reliableProducerConfig();
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class);
            factory.updateConfigs(config);
        };
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer aiw3ConsumerConventions() {
        return factory -> {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
            config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, EventDeserializer.class);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // A new consumer group must not skip what was published before it first started.
            if (!factory.getConfigurationProperties().containsKey(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)) {
                config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            }
            factory.updateConfigs(config);
        };
    }

    /**
     * The template for envelopes, on Boot's producer factory (with the conventions above). Declared here
     * because the raw template below would otherwise make Boot's default template back off.
     */
    @Bean
    @Primary
    @ConditionalOnMissingBean(name = "kafkaTemplate")
    @SuppressWarnings("unchecked")
    KafkaTemplate<String, EventEnvelope<?>> kafkaTemplate(ProducerFactory<?, ?> producerFactory) {
        KafkaTemplate<String, EventEnvelope<?>> template =
                new KafkaTemplate<>((ProducerFactory<String, EventEnvelope<?>>) producerFactory);
        template.setObservationEnabled(true);
        return template;
    }

    /**
     * Raw-bytes template: the outbox relay sends envelopes exactly as they were serialised in the
     * business transaction, and dead letters keep the bytes that could not be read.
     */
    @Bean
    @ConditionalOnMissingBean(name = "rawEventKafkaTemplate")
    KafkaTemplate<String, byte[]> rawEventKafkaTemplate(KafkaProperties kafkaProperties) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildProducerProperties());
        config.putAll(reliableProducerConfig());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config);
        factory.setBeanName("rawEventProducerFactory");
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(factory);
        template.setObservationEnabled(true);
        return template;
    }

    /** The current trace context for the hops templates and containers do not see (the outbox, plain consumers). */
    @Bean
    @ConditionalOnMissingBean
    MessageTracing aiw3MessageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new MessageTracing(
                tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    static ObservedListenerContainers aiw3ObservedListenerContainers() {
        return new ObservedListenerContainers();
    }

    @Bean
    @ConditionalOnMissingBean
    ConsumerStalls aiw3ConsumerStalls(ObjectProvider<MeterRegistry> meters) {
        return new ConsumerStalls(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    static StallTrackingInterceptors aiw3StallTrackingInterceptors(ObjectProvider<ConsumerStalls> stalls) {
        return new StallTrackingInterceptors(stalls);
    }

    /**
     * Retries without limit what may pass (a database out of reach, a timeout, anything not known to be
     * permanent), with capped exponential back-off and jitter, holding the partition; dead-letters at once
     * only what can never be processed: bytes that are no event ({@link MalformedEventException}, Spring
     * Kafka's deserialization and conversion errors) and {@link NonRetryableEventException}.
     */
    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    DefaultErrorHandler aiw3ErrorHandler(
            MessagingProperties properties,
            KafkaTemplate<String, EventEnvelope<?>> eventTemplate,
            KafkaTemplate<String, byte[]> rawEventKafkaTemplate,
            ConsumerStalls stalls) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, rawEventKafkaTemplate);
        templates.put(EventEnvelope.class, eventTemplate);
        // A negative partition lets the producer pick one by key: dead-letter topics need not mirror partitions.
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                templates, (record, exception) -> new TopicPartition(deadLetterOf(record.topic()), -1));
        BlockingErrorHandler handler = new BlockingErrorHandler(recoverer, unlimited(properties.consumer()), stalls);
        handler.addNotRetryableExceptions(MalformedEventException.class, NonRetryableEventException.class);
        return handler;
    }

    /** Exponential, capped, jittered, and never {@code STOP}: no attempt or time limit. */
    static ExponentialBackOff unlimited(MessagingProperties.Consumer retry) {
        ExponentialBackOff backOff =
                new ExponentialBackOff(retry.initialBackoff().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxBackoff().toMillis());
        backOff.setJitter(retry.jitter().toMillis());
        backOff.setMaxAttempts(Long.MAX_VALUE);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }

    static String deadLetterOf(String topic) {
        return Topics.byName(topic).map(Topic::deadLetterName).orElse(topic + "-dlt");
    }

    @Bean
    @ConditionalOnProperty(prefix = "aiw3.messaging.topics", name = "create", matchIfMissing = true)
    KafkaAdmin.NewTopics aiw3Topics(MessagingProperties properties) {
        return new KafkaAdmin.NewTopics(declaredTopics(properties).toArray(NewTopic[]::new));
    }

    /** Every topic of the registry and its dead-letter topic, as this deployment provisions them. */
    static List<NewTopic> declaredTopics(MessagingProperties properties) {
        return TopicProvisioning.of(
                        properties.topics().maxPartitions(), properties.topics().replicationFactor())
                .stream()
                .map(spec -> new NewTopic(spec.name(), spec.partitions(), spec.replicas()).configs(spec.configs()))
                .toList();
    }

    @Bean
    @ConditionalOnMissingBean(EventPublisher.class)
    KafkaEventPublisher kafkaEventPublisher(KafkaTemplate<String, EventEnvelope<?>> eventTemplate) {
        return new KafkaEventPublisher(eventTemplate);
    }
}
