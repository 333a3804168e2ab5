// SPDX-License-Identifier: Apache-2.0
package dev.stowage.worker;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which way the worker's packages may depend on each other: processing uses storage and analysis, storage uses
 * analysis, and analysis is a pure library that the other two, the tests and the benchmarks can use on its own.
 */
@AnalyzeClasses(packages = "dev.stowage.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class WorkerArchitectureTest {

    @ArchTest
    static final ArchRule analysisIsPure = classes()
            .that()
            .resideInAPackage("dev.stowage.worker.analysis..")
            .should()
            .onlyDependOnClassesThat(resideInAnyPackage(
                            "java..",
                            "tools.jackson..",
                            "com.fasterxml.jackson.annotation..",
                            "org.jspecify.annotations..",
                            "dev.stowage.model..",
                            "dev.stowage.worker.analysis..")
                    .and(not(resideInAPackage("java.sql.."))))
            .because("the analysis only reads JSON and decides: the JDK, Jackson and common-model, no Spring, no"
                    + " JDBC, nothing of storage or processing");

    @ArchTest
    static final ArchRule storageDoesNotUseProcessing = noClasses()
            .that()
            .resideInAPackage("dev.stowage.worker.storage..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.stowage.worker.processing..")
            .because("processing drives storage, and hands it what it needs (settings included)");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("dev.stowage.worker.(*)..").should().beFreeOfCycles();
}
