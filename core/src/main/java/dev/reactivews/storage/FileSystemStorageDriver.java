package dev.reactivews.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * One JSON file per key in a directory. A key becomes a file name by percent-encoding every
 * byte other than {@code A-Z a-z 0-9 _ -} (so {@code ..}, {@code /} and {@code :} never reach
 * the file system), plus {@code .json}. Writes go to a temporary file that is synced and then
 * renamed over the old one, so a reader or a crash sees the old value or the new one, never
 * half of one. Writes of one key are serialized within this process; {@link #update} is atomic
 * against writers of the same process only, so give each process its own directory.
 */
final class FileSystemStorageDriver implements StorageDriver {
  private static final String SUFFIX = ".json";
  /** Names of half-written files start with a dot, which no encoded key does. */
  private static final String TEMP_PREFIX = ".tmp-";
  /** Most file systems allow 255 bytes a name. */
  private static final int MAX_NAME_BYTES = 255;
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final Path directory;
  /** Writers of keys that hash alike wait for each other; enough stripes that it rarely matters. */
  private final ReentrantLock[] locks = new ReentrantLock[64];

  FileSystemStorageDriver(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
    try {
      Files.createDirectories(this.directory);
    } catch (IOException e) {
      throw new StorageException("Cannot create the storage directory " + this.directory, e);
    }
  }

  @Override
  public byte[] get(String key) {
    Path file = file(key);
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException("Cannot read '" + key + "' from " + file, e);
    }
  }

  @Override
  public void set(String key, byte[] value) {
    Path file = file(key);
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      write(key, file, value);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean has(String key) {
    return Files.exists(file(key));
  }

  @Override
  public boolean remove(String key) {
    Path file = file(key);
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new StorageException("Cannot remove '" + key + "' at " + file, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (!name.startsWith(".")) {
          String key = decode(name.substring(0, name.length() - SUFFIX.length()));
          if (key != null && key.startsWith(prefix)) {
            keys.add(key);
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot list the keys in " + directory, e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public byte[] update(String key, UnaryOperator<byte[]> fn) {
    Path file = file(key);
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      byte[] next = fn.apply(get(key));
      if (next == null) {
        Files.deleteIfExists(file);
      } else {
        write(key, file, next);
      }
      return next;
    } catch (IOException e) {
      throw new StorageException("Cannot update '" + key + "' at " + file, e);
    } finally {
      lock.unlock();
    }
  }

  private void write(String key, Path file, byte[] value) {
    Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID());
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      move(temp, file);
    } catch (IOException e) {
      throw new StorageException("Cannot write '" + key + "' to " + file, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // The temporary file is invisible to keys(); a leftover only costs disk space.
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename atomically, so writes could be torn", e);
    }
  }

  private ReentrantLock lockOf(String key) {
    return locks[Math.floorMod(key.hashCode(), locks.length)];
  }

  /** The file of a key; the encoded name cannot leave the directory. */
  private Path file(String key) {
    String name = encode(key) + SUFFIX;
    if (name.length() > MAX_NAME_BYTES) {
      throw new StorageException("Key too long for a file name (" + name.length() + " bytes encoded, at most "
          + MAX_NAME_BYTES + "): '" + key + "'", null);
    }
    return directory.resolve(name);
  }

  static String encode(String key) {
    StringBuilder name = new StringBuilder(key.length());
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        name.append(c);
      } else {
        name.append('%').append(HEX.toHexDigits(b));
      }
    }
    return name.toString();
  }

  /** The key of an encoded name, or null for a file that no key makes. */
  static String decode(String name) {
    byte[] bytes = new byte[name.length()];
    int length = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%') {
        if (i + 2 >= name.length()) {
          return null;
        }
        try {
          bytes[length++] = (byte) HEX.fromHexDigits(name, i + 1, i + 3);
        } catch (IllegalArgumentException e) {
          return null;
        }
        i += 2;
      } else {
        bytes[length++] = (byte) c;
      }
    }
    String key = new String(bytes, 0, length, StandardCharsets.UTF_8);
    return encode(key).equals(name) ? key : null;
  }
}
