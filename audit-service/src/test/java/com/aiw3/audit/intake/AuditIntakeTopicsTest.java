package com.aiw3.audit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.events.topic.Topic;
import com.aiw3.events.topic.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.annotation.KafkaListener;

class AuditIntakeTopicsTest {

    @Test
    void theIntakeSubscribesToEveryTopicOfTheRegistry() throws NoSuchMethodException {
        KafkaListener listener =
                AuditIntake.class.getDeclaredMethod("onBatch", List.class).getAnnotation(KafkaListener.class);

        assertThat(listener.topics())
                .containsExactlyInAnyOrderElementsOf(
                        Topics.all().stream().map(Topic::name).toList());
    }
}
