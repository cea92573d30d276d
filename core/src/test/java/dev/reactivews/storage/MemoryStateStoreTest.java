package dev.reactivews.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MemoryStateStoreTest extends StateStoreContract {
  @Override
  protected StorageDriver newDriver() {
    return StorageDriver.memory();
  }

  @Test
  void aDriverThatKeepsNoStatesSaysWhichDriversDo() {
    StorageDriver keysOnly = new StorageDriver() {
      @Override
      public byte[] get(String key) {
        return null;
      }

      @Override
      public void set(String key, byte[] value) {}

      @Override
      public boolean has(String key) {
        return false;
      }

      @Override
      public boolean remove(String key) {
        return false;
      }

      @Override
      public List<String> keys(String prefix) {
        return List.of();
      }

      @Override
      public byte[] update(String key, UnaryOperator<byte[]> fn) {
        return null;
      }
    };

    assertThatThrownBy(keysOnly::stateStore).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("keeps no state topics: the memory, file-system and Redis drivers do");
  }
}
