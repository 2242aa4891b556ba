package com.aiw3.events.serde;

import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a payload written with {@code fromVersion} of {@code type} into the shape of {@code fromVersion
 * + 1}. Readers chain upcasters until the current version, so a consumer only knows the newest record.
 */
public record Upcaster(String type, int fromVersion, UnaryOperator<ObjectNode> transform) {}
