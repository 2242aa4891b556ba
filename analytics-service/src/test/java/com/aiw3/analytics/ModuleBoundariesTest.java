package com.aiw3.analytics;

import com.aiw3.testing.ModuleBoundaries;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

class ModuleBoundariesTest {

    private static final String BASE = "com.aiw3.analytics";
    private static final JavaClasses SERVICE = ModuleBoundaries.productionClasses(BASE);

    @Test
    void featurePackagesAreFreeOfCycles() {
        ModuleBoundaries.packagesAreFreeOfCycles(BASE).check(SERVICE);
    }

    @Test
    void usesOnlyItsOwnCodeAndTheCommonLibraries() {
        ModuleBoundaries.usesOnlyItsOwnCodeAndTheCommonLibraries(BASE).check(SERVICE);
    }

    @Test
    void createsNoKafkaProducerOfItsOwn() {
        ModuleBoundaries.createsNoKafkaProducerOfItsOwn(BASE).check(SERVICE);
    }

    @Test
    void publicClassesAreUsedOutsideTheirPackage() {
        ModuleBoundaries.publicClassesAreUsedOutsideTheirPackage(BASE)
                .check(ModuleBoundaries.productionAndTestClasses(BASE));
    }
}
