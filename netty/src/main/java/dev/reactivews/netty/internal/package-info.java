/** The Netty pipeline behind {@link dev.reactivews.netty.ReactiveWs}. Not an API. */
package dev.reactivews.netty.internal;
