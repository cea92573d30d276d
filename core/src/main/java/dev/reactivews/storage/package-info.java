/**
 * The key-value storage of nuxt-ws's {@code useStorage('ws')}: {@link
 * dev.reactivews.storage.Storage} types values through Jackson over a {@link
 * dev.reactivews.storage.StorageDriver} that keeps bytes.
 */
@NullMarked
package dev.reactivews.storage;

import org.jspecify.annotations.NullMarked;
