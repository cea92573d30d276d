/**
 * Validation of incoming messages against a {@link dev.reactivews.validation.Schema}: the Java
 * form of nuxt-ws's {@code wsValidateMessage} with a "Standard Schema". {@link
 * dev.reactivews.validation.BeanSchema} adapts Jakarta Bean Validation, {@link
 * dev.reactivews.validation.JsonSchema} JSON Schema (a schema file a front end can share).
 */
@NullMarked
package dev.reactivews.validation;

import org.jspecify.annotations.NullMarked;
