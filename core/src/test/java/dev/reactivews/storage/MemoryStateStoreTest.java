package dev.reactivews.storage;

class MemoryStateStoreTest extends StateStoreContract {
  @Override
  protected StorageDriver newDriver() {
    return StorageDriver.memory();
  }
}
