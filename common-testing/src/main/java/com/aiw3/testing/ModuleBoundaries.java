package com.aiw3.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/**
 * The module boundaries every service keeps, as ArchUnit rules over its production classes: features are
 * packages under the service's base package, and a service shares code with the others only through the
 * common libraries.
 */
public final class ModuleBoundaries {

    /** The libraries every service may use; a service never uses another service's code. */
    public static final String[] COMMON_LIBRARIES = {"com.aiw3.events..", "com.aiw3.messaging..", "com.aiw3.web.."};

    private static final String SPRING_BOOT_APPLICATION =
            "org.springframework.boot.autoconfigure.SpringBootApplication";

    private static final DescribedPredicate<JavaClass> PRODUCTION_CODE = DescribedPredicate.describe(
            "are production code",
            type -> new ImportOption.DoNotIncludeTests()
                    .includes(Location.of(type.getSource().orElseThrow().getUri())));

    private ModuleBoundaries() {}

    /** The production classes under {@code basePackage} (test classes left out). */
    public static JavaClasses productionClasses(String basePackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }

    /** The production and test classes under {@code basePackage}. */
    public static JavaClasses productionAndTestClasses(String basePackage) {
        return new ClassFileImporter().importPackages(basePackage);
    }

    /**
     * No cycle between the packages of a module, its base package counted as one of them: a feature uses
     * another feature (or the base package's application-wide configuration), never the other way round too.
     */
    public static ArchRule packagesAreFreeOfCycles(String basePackage) {
        return SlicesRuleDefinition.slices()
                .assignedFrom(packagesUnder(basePackage))
                .should()
                .beFreeOfCycles();
    }

    /** The service's code uses its own packages and the common libraries, and no other {@code com.aiw3} code. */
    public static ArchRule usesOnlyItsOwnCodeAndTheCommonLibraries(String basePackage) {
        return noClasses()
                .that()
                .resideInAPackage(basePackage + "..")
                .should()
                .dependOnClassesThat(resideInAPackage("com.aiw3..")
                        .and(not(resideInAPackage(basePackage + "..")))
                        .and(not(resideInAnyPackage(COMMON_LIBRARIES))));
    }

    /**
     * Records reach Kafka with common-messaging's producer conventions (acks=all, idempotence, envelope
     * serialisation): a service creates no Kafka producer or producer factory of its own.
     */
    public static ArchRule createsNoKafkaProducerOfItsOwn(String basePackage) {
        return noClasses()
                .that()
                .resideInAPackage(basePackage + "..")
                .should()
                .dependOnClassesThat()
                .areAssignableTo("org.apache.kafka.clients.producer.Producer")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo("org.springframework.kafka.core.ProducerFactory");
    }

    /**
     * Internals are package-private: a public top-level class of the production code is used from another
     * package of the module, its tests included (the Spring Boot application class, started from outside,
     * aside). Check it against {@link #productionAndTestClasses(String)}.
     */
    public static ArchRule publicClassesAreUsedOutsideTheirPackage(String basePackage) {
        return classes()
                .that()
                .resideInAPackage(basePackage + "..")
                .and(PRODUCTION_CODE)
                .and()
                .areTopLevelClasses()
                .and()
                .arePublic()
                .and()
                .areNotAnnotatedWith(SPRING_BOOT_APPLICATION)
                .should(beUsedOutsideTheirPackage())
                .allowEmptyShould(true);
    }

    private static ArchCondition<JavaClass> beUsedOutsideTheirPackage() {
        return new ArchCondition<>("be used outside their package") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean used = type.getDirectDependenciesToSelf().stream()
                        .anyMatch(dependency ->
                                !dependency.getOriginClass().getPackageName().equals(type.getPackageName()));
                if (!used) {
                    events.add(SimpleConditionEvent.violated(
                            type, type.getName() + " is public but used only inside " + type.getPackageName()));
                }
            }
        };
    }

    private static SliceAssignment packagesUnder(String basePackage) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass type) {
                String name = type.getPackageName();
                if (name.equals(basePackage)) {
                    return SliceIdentifier.of(basePackage);
                }
                if (name.startsWith(basePackage + ".")) {
                    String feature = name.substring(basePackage.length() + 1).split("\\.", 2)[0];
                    return SliceIdentifier.of(basePackage + "." + feature);
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "packages of " + basePackage;
            }
        };
    }
}
