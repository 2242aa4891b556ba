package com.aiw3.upgrade.upgrade;

import com.aiw3.web.Caller;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** What a user reads about their upgrades; reads only. */
@Component
class UpgradeQueries {

    private final UpgradeStore store;
    private final JsonMapper json;

    UpgradeQueries(UpgradeStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    record Page(List<UpgradeView> items, int page, int size, long total) {}

    Page history(Caller caller, int page, int size) {
        if (page < 0 || size < 1 || size > 100) {
            throw new Refusal.Malformed("page must be >= 0 and size between 1 and 100");
        }
        return new Page(
                store.history(caller.userId(), page, size).stream()
                        .map(u -> UpgradeView.of(u, json))
                        .toList(),
                page,
                size,
                store.count(caller.userId()));
    }

    UpgradeView view(Caller caller, UUID id) {
        return UpgradeView.of(owned(caller, id), json);
    }

    /** Another user's upgrade answers exactly like a missing one: its existence is not disclosed. */
    Upgrade owned(Caller caller, UUID id) {
        return store.find(id)
                .filter(u -> u.ownedBy(caller.userId()))
                .orElseThrow(() -> new Refusal.Missing("no upgrade " + id));
    }
}
