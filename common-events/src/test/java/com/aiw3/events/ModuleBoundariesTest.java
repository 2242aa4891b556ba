package com.aiw3.events;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The schema library stays plain Java that every service (and any other JVM consumer) can load. */
class ModuleBoundariesTest {

    private static final JavaClasses EVENTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.aiw3.events");

    @Test
    void eventsImportNoSpringOrJpa() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..", "jakarta.persistence..", "javax.persistence..", "org.hibernate..")
                .check(EVENTS);
    }

    @Test
    void eventsDependOnNoOtherPlatformModule() {
        noClasses()
                .should()
                .dependOnClassesThat(resideInAPackage("com.aiw3..").and(not(resideInAPackage("com.aiw3.events.."))))
                .check(EVENTS);
    }

    @Test
    void everyEventIsARecord() {
        classes()
                .that()
                .areAssignableTo(EventPayload.class)
                .and()
                .areNotInterfaces()
                .should()
                .beRecords()
                .check(EVENTS);
    }

    @Test
    void onlySerdeAndCatalogUseJacksonDatabindOrKafka() {
        noClasses()
                .that()
                .resideOutsideOfPackages("com.aiw3.events.serde..", "com.aiw3.events.catalog..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("tools.jackson..", "org.apache.kafka..")
                .check(EVENTS);
    }
}
