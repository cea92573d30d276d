/**
 * The store behind state topics: topics whose state the framework keeps and versions. {@link
 * dev.reactivews.state.StateTopic} declares one; a {@link dev.reactivews.state.StateStore} keeps
 * each topic's value, its {@link dev.reactivews.state.StateVersion} and a bounded log of its last
 * changes, and tells the server of every change. {@link
 * dev.reactivews.storage.StorageDriver#stateStore()} gives the store of the memory, file-system
 * and Redis drivers. Apps change and read state topics through {@link dev.reactivews.state.WsStates}: its
 * {@link dev.reactivews.state.ListState}, {@link dev.reactivews.state.MapState} and {@link
 * dev.reactivews.state.ValueState}.
 */
@NullMarked
package dev.reactivews.state;

import org.jspecify.annotations.NullMarked;
