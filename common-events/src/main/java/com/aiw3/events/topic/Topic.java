package com.aiw3.events.topic;

import com.aiw3.events.EventPayload;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Kafka topic: its name, the event family it carries, and how it is provisioned.
 *
 * @param name        kebab-case topic name
 * @param family      the sealed event family on this topic; every record of it is published here
 * @param partitions  partitions in production (the unit of consumer parallelism)
 * @param retention   how long records are kept; also the longest a consumer may replay
 * @param keyDescription what the record key is (the unit of ordering)
 * @param description what the topic is for
 */
public record Topic(
        String name,
        Class<? extends EventPayload> family,
        int partitions,
        Duration retention,
        String keyDescription,
        String description) {

    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public Topic {
        Objects.requireNonNull(family, "family");
        if (!KEBAB.matcher(name).matches()) {
            throw new IllegalArgumentException("topic names are kebab-case: " + name);
        }
        if (!family.isSealed()) {
            throw new IllegalArgumentException("a topic carries a sealed event family: " + family.getName());
        }
        if (partitions < 1 || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("partitions >= 1 and a positive retention: " + name);
        }
    }

    /** Where a record goes after its consumer gave up on it: poison or failed past all retries. */
    public String deadLetterName() {
        return name + "-dlt";
    }
}
