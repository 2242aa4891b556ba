/**
 * Spring Cloud Gateway with nothing of the api-gateway on it: the floor GatewayCostBenchmark compares the
 * api-gateway with. Outside {@code com.aiw3.gateway} so that none of the api-gateway's beans are scanned.
 */
@NullMarked
package com.aiw3.gatewayfloor;

import org.jspecify.annotations.NullMarked;
