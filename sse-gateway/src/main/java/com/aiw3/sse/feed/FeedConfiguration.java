package com.aiw3.sse.feed;

import com.aiw3.sse.SseProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FeedConfiguration {

    @Bean
    History history(SseProperties properties) {
        return new History(properties.historyWindow(), properties.maxHistoryPerUser());
    }
}
