package com.aiw3.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiGatewayApplication {

    /** Reactor Netty's own property; set on the command line (or in JAVA_TOOL_OPTIONS) it wins. */
    static final String IO_WORKERS = "reactor.netty.ioWorkerCount";

    public static void main(String[] args) {
        // One event loop per CPU the container grants. Reactor Netty makes at least four, and on a 2-CPU pod
        // the extra loops, serving both the server and the proxy's client, preempted each other: added p99
        // at 500 req/s +2.0-2.2 ms with four loops, +1.2 ms with two, same throughput
        // (GatewayOverheadBenchmark).
        if (System.getProperty(IO_WORKERS) == null) {
            System.setProperty(IO_WORKERS, String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        SpringApplication.run(ApiGatewayApplication.class, args);
    }
}
