package com.aiw3.messaging.kafka;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;

/**
 * Turns on observation in every listener container factory (Boot's and a service's own): a record listener
 * runs in a consumer span that continues the trace of the record's {@code traceparent} header, and whatever
 * it sends or logs carries that trace.
 */
final class ObservedListenerContainers implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
            factory.getContainerProperties().setObservationEnabled(true);
        }
        return bean;
    }
}
