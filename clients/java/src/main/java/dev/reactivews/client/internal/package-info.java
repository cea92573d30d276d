/** The machinery behind {@link dev.reactivews.client.ReactiveWsClient}. Not an API. */
package dev.reactivews.client.internal;
