/**
 * reactive-ws on Spring Boot: configure it under {@code ws:} ({@link
 * dev.reactivews.spring.ReactiveWsProperties}), declare a {@link dev.reactivews.WsHandler} bean,
 * inject the {@link dev.reactivews.WsPublisher} and the {@link dev.reactivews.storage.Storage}.
 */
@NullMarked
package dev.reactivews.spring;

import org.jspecify.annotations.NullMarked;
