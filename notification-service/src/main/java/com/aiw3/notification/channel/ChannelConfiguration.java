package com.aiw3.notification.channel;

import com.aiw3.notification.NotificationProperties;
import com.google.auth.oauth2.GoogleCredentials;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ChannelConfiguration {

    /** Only when push is on: reading credentials needs a mounted secret or application defaults. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "aiw3.notification.push.enabled", havingValue = "true")
    GoogleCredentials fcmCredentials(NotificationProperties properties) {
        return PushSender.credentials(properties.push());
    }
}
