package com.aiw3.events;

/**
 * A payload of a type this reader does not know (published by a newer producer). Tolerant readers skip
 * it; audit keeps it verbatim.
 *
 * @param key  the record key
 * @param json the payload exactly as received
 */
public record UnknownEvent(String key, String json) implements EventPayload {

    @Override
    public String partitionKey() {
        return key;
    }
}
