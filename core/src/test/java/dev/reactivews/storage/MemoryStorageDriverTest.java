package dev.reactivews.storage;

class MemoryStorageDriverTest extends StorageDriverContract {
  @Override
  protected StorageDriver newDriver() {
    return StorageDriver.memory();
  }
}
