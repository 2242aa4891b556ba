package com.aiw3.messaging;

import com.aiw3.testing.ModuleBoundaries;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

class ModuleBoundariesTest {

    private static final String BASE = "com.aiw3.messaging";
    private static final JavaClasses MESSAGING = ModuleBoundaries.productionClasses(BASE);

    @Test
    void packagesAreFreeOfCycles() {
        ModuleBoundaries.packagesAreFreeOfCycles(BASE).check(MESSAGING);
    }

    @Test
    void usesOnlyItsOwnCodeAndTheCommonLibraries() {
        ModuleBoundaries.usesOnlyItsOwnCodeAndTheCommonLibraries(BASE).check(MESSAGING);
    }
}
