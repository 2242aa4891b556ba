package com.aiw3.upgrade.tier;

import com.aiw3.events.upgrade.UpgradeEvent.Requirement;
import java.util.List;

/** Where a user stands against the first tier, which a claim reaches: each requirement's gap. */
public record FirstTierQualification(Tier tier, List<Requirement> requirements) {

    public FirstTierQualification {
        requirements = List.copyOf(requirements);
    }

    public boolean qualified() {
        return requirements.stream().allMatch(r -> r.actual() >= r.required());
    }

    public List<Requirement> missing() {
        return requirements.stream().filter(r -> r.actual() < r.required()).toList();
    }
}
