package com.aiw3.notification.channel;

import com.aiw3.events.notification.Channel;

/** A third-party channel. */
public interface ChannelSender {

    Channel channel();

    /** Whether the provider is configured in this deployment. */
    boolean enabled();

    /**
     * Sends and returns the provider's message id.
     *
     * @throws ProviderException when the provider refuses or cannot be reached
     */
    String send(Outgoing message);
}
