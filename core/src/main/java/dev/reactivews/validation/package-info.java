/**
 * Validation of incoming messages against a {@link dev.reactivews.validation.Schema}: the Java
 * form of nuxt-ws's {@code wsValidateMessage} with a "Standard Schema". {@link
 * dev.reactivews.validation.BeanSchema} adapts Jakarta Bean Validation.
 */
package dev.reactivews.validation;
