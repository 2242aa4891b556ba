package com.aiw3.gateway.stream;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.context.annotation.Configuration;

/**
 * Several sse-gateway instances behind one gateway without Kubernetes (the local run with more than one instance,
 * the system tests): with {@code aiw3.gateway.downstream.sse-gateway=lb://sse-gateway} the stream routes and the
 * streaming upgrade are balanced round-robin over
 * {@code spring.cloud.discovery.client.simple.instances.sse-gateway[n].uri}, and only over the instances whose
 * readiness probe answers 200, checked every {@code spring.cloud.loadbalancer.health-check.interval}: an instance
 * that is starting, draining or dead gets no new streams, as a Kubernetes Service leaves out a pod that is not
 * ready. In Kubernetes the route names the Service and the Service balances; this is then unused.
 *
 * <p>A stream stays on the instance it was opened on for as long as it lasts; each reconnection is balanced anew.
 * Every instance reads every event, so a stream resumes with its Last-Event-ID on whichever instance it reaches.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClient(name = StreamsBalancing.SERVICE, configuration = ReadyInstances.class)
class StreamsBalancing {

    /** The service id of sse-gateway in {@code lb://} URIs and in the simple discovery client's instances. */
    static final String SERVICE = "sse-gateway";
}
