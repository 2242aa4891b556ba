package com.aiw3.audit.intake;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;

/** A batch consumer of raw values: audit must not depend on being able to parse what it records. */
@Configuration(proxyBeanMethods = false)
class IntakeKafkaConfiguration {

    static final String RAW_BATCH_FACTORY = "auditRawBatchFactory";

    @Bean(RAW_BATCH_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> auditRawBatchFactory(
            KafkaProperties kafka, CommonErrorHandler errorHandler) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer()));
        factory.setBatchListener(true);
        factory.setCommonErrorHandler(errorHandler);
        return factory;
    }
}
