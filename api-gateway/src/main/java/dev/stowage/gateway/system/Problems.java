// SPDX-License-Identifier: Apache-2.0
package dev.stowage.gateway.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint can answer besides those every API call can ({@link ProblemResponses#EVERY_CALL}, and
 * the key checks'): turned into its {@code application/problem+json} responses, with an example each, in the
 * OpenAPI document. The problem walk test fails when an endpoint answers a problem its list lacks.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Problems {

    ProblemType[] value();
}
