// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which way the gateway's packages may depend on each other: each feature (upload, jobs, files, datasets, admin,
 * monitoring) may use another without a cycle; all of them use access (who is calling) and system (problems,
 * limits), which use no feature.
 */
@AnalyzeClasses(packages = "dev.stowage.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayArchitectureTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("dev.stowage.gateway.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule systemUsesNoOtherPackageOfTheGateway = classes()
            .that()
            .resideInAPackage("dev.stowage.gateway.system..")
            .should()
            .onlyDependOnClassesThat(
                    not(resideInAPackage("dev.stowage.gateway..")).or(resideInAPackage("dev.stowage.gateway.system..")))
            .because("every package reports problems and limits through system");

    @ArchTest
    static final ArchRule accessUsesOnlySystem = classes()
            .that()
            .resideInAPackage("dev.stowage.gateway.access..")
            .should()
            .onlyDependOnClassesThat(not(resideInAPackage("dev.stowage.gateway.."))
                    .or(resideInAnyPackage("dev.stowage.gateway.access..", "dev.stowage.gateway.system..")))
            .because("every feature asks access who is calling");
}
