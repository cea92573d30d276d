package dev.reactivews.storage;

import dev.reactivews.internal.LogText;
import dev.reactivews.state.StateStore;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON file per key in a directory. A key becomes a file name by percent-encoding every
 * byte other than {@code a-z 0-9 _ -} (so {@code ..}, {@code /} and {@code :} never reach the
 * file system, and keys that differ only in case never share a file where the file system
 * ignores case: {@code A} is {@code %41}), plus {@code .json}. Writes go to a temporary file that
 * is synced and then renamed over the old one, and the directory is synced after the rename, so
 * a reader or a crash sees the old value or the new one, never half of one. Writes of one key are
 * serialized within this process; {@link #update} is atomic against writers of the same process
 * only, so give each process, and each driver, its own directory.
 *
 * <p>On start it removes the temporary files a crash left and renames the files of an earlier
 * version, which kept {@code A-Z} as they are, to the names of today.
 */
final class FileSystemStorageDriver implements StorageDriver {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemStorageDriver.class);
  private static final String SUFFIX = ".json";
  /** Names of half-written files start with a dot, which no encoded key does. */
  private static final String TEMP_PREFIX = ".tmp-";
  /** A temporary file's whole name: the prefix and a random UUID, as {@link #write} makes it. */
  private static final Pattern TEMP_NAME =
      Pattern.compile(Pattern.quote(TEMP_PREFIX) + "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
  /** Most file systems allow 255 bytes a name. */
  private static final int MAX_NAME_BYTES = 255;
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private final Path directory;
  private final FileSystemStateStore states;
  /** Writers of keys that hash alike wait for each other; enough stripes that it rarely matters. */
  private final ReentrantLock[] locks = new ReentrantLock[64];

  FileSystemStorageDriver(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
    // No encoded key starts with a dot, so the states' folder never meets a key's file.
    this.states = new FileSystemStateStore(this.directory.resolve(".states"));
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
    try {
      Files.createDirectories(this.directory);
    } catch (IOException e) {
      throw new StorageException("Cannot create the storage directory " + this.directory, e);
    }
    try {
      int removed = removeLeftoverTemporaryFiles(this.directory);
      if (removed > 0) {
        LOG.info("removed {} temporary file(s) that an interrupted write left in {}", removed, this.directory);
      }
      renameFilesOfEarlierVersions();
    } catch (IOException e) {
      throw new StorageException("Cannot tidy the storage directory " + this.directory, e);
    }
  }

  /**
   * Removes the temporary files of writes a crash cut short from the directory, none of which holds
   * a committed value; how many there were.
   */
  static int removeLeftoverTemporaryFiles(Path directory) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, TEMP_PREFIX + "*")) {
      for (Path file : files) {
        if (TEMP_NAME.matcher(file.getFileName().toString()).matches() && Files.deleteIfExists(file)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      syncDirectory(directory);
    }
    return removed;
  }

  /**
   * Renames each file whose name has an upper-case letter as it is, as versions before upper-case
   * letters were escaped wrote them, to the name its key has now. Files of lower-case keys are
   * named the same in both versions.
   */
  private void renameFilesOfEarlierVersions() throws IOException {
    Map<Path, String> earlierKeys = new LinkedHashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String key = name.startsWith(".") ? null : decodeEarlierVersion(name.substring(0, name.length() - SUFFIX.length()));
        if (key != null) {
          earlierKeys.put(file, key);
        }
      }
    }
    int renamed = 0;
    for (Map.Entry<Path, String> earlier : earlierKeys.entrySet()) {
      Path file = earlier.getKey();
      String key = earlier.getValue();
      String name = file.getFileName().toString();
      String currentName = encode(key) + SUFFIX;
      if (currentName.length() > MAX_NAME_BYTES) {
        LOG.warn("{} (an earlier version's name) is left as it is: with its upper-case letters escaped, the name of "
            + "its key '{}' would pass {} bytes, so the key cannot be read", name, LogText.escape(key), MAX_NAME_BYTES);
        continue;
      }
      Path current = directory.resolve(currentName);
      if (Files.exists(current)) {
        LOG.warn("{} (an earlier version's name) and {} both hold the key '{}': the key reads {}, {} is left as it is",
            name, current.getFileName(), LogText.escape(key), current.getFileName(), name);
      } else {
        Files.move(file, current, StandardCopyOption.ATOMIC_MOVE);
        renamed++;
      }
    }
    if (renamed > 0) {
      syncDirectory(directory);
      LOG.info("renamed {} file(s) of keys with upper-case letters in {} to their escaped names", renamed, directory);
    }
  }

  @Override
  public byte @Nullable [] get(String key) {
    Path file = file(key);
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException("Cannot read '" + LogText.escape(key) + "' from " + file, e);
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
      throw new StorageException("Cannot remove '" + LogText.escape(key) + "' at " + file, e);
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
  public byte @Nullable [] update(String key, UnaryOperator<byte @Nullable []> fn) {
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
      throw new StorageException("Cannot update '" + LogText.escape(key) + "' at " + file, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public StateStore stateStore() {
    return states;
  }

  @Override
  public void close() {
    states.close();
  }

  private void write(String key, Path file, byte[] value) {
    try {
      writeAtomically(directory, file, value);
    } catch (IOException e) {
      throw new StorageException("Cannot write '" + LogText.escape(key) + "' to " + file, e);
    }
  }

  /**
   * Replaces the file, which is in the directory, by the value: through a synced temporary file
   * renamed over it, then the directory synced, so a reader or a crash sees the old value or the
   * new one, never half of one.
   */
  static void writeAtomically(Path directory, Path file, byte[] value) throws IOException {
    Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID());
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        writeFully(channel, value);
        channel.force(true);
      }
      move(temp, file);
      syncDirectory(directory);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // The temporary file is invisible to keys(); a leftover only costs disk space.
      }
    }
  }

  static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename atomically, so writes could be torn", e);
    }
  }

  /**
   * Makes the directory's entries, so the renames that committed values, durable. Some platforms
   * (Windows) cannot open a directory as a file; there the rename is all the system offers.
   */
  static void syncDirectory(Path directory) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (IOException cannotOpenADirectory) {
      return;
    }
    try (channel) {
      channel.force(true);
    }
  }

  private ReentrantLock lockOf(String key) {
    return locks[Math.floorMod(key.hashCode(), locks.length)];
  }

  /** The file of a key; the encoded name cannot leave the directory. */
  private Path file(String key) {
    return directory.resolve(fileName("Key", key, SUFFIX));
  }

  /**
   * The encoded name plus the suffix, which no other name has and which cannot leave a
   * directory; {@code what} names the name in the error when no file can have it.
   */
  static String fileName(String what, String name, String suffix) {
    if (hasLoneSurrogate(name)) {
      // UTF-8 has no bytes for it: every such name would share the file of a '?'.
      throw new StorageException(what + " has a lone surrogate, which no file name can hold: '"
          + LogText.escape(name) + "'", null);
    }
    String fileName = encode(name) + suffix;
    if (fileName.length() > MAX_NAME_BYTES) {
      throw new StorageException(what + " too long for a file name (" + fileName.length() + " bytes encoded, at most "
          + MAX_NAME_BYTES + "): '" + LogText.escape(name) + "'", null);
    }
    return fileName;
  }

  static String encode(String key) {
    return encode(key, false);
  }

  /** The name of a key, with {@code A-Z} escaped unless this is an earlier version's name. */
  private static String encode(String key, boolean keepUpperCase) {
    StringBuilder name = new StringBuilder(key.length());
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
          || (keepUpperCase && c >= 'A' && c <= 'Z')) {
        name.append(c);
      } else {
        name.append('%').append(HEX.toHexDigits(b));
      }
    }
    return name.toString();
  }

  /** The key of an encoded name, or null for a file that no key makes. */
  static @Nullable String decode(String name) {
    String key = decodeBytes(name);
    return key != null && encode(key).equals(name) ? key : null;
  }

  /** The key of a name as versions that kept {@code A-Z} unescaped wrote it, or null. */
  static @Nullable String decodeEarlierVersion(String name) {
    String key = decodeBytes(name);
    return key != null && !encode(key).equals(name) && encode(key, true).equals(name) ? key : null;
  }

  private static boolean hasLoneSurrogate(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The text of a percent-encoded name's bytes, or null when it is not percent-encoded. */
  private static @Nullable String decodeBytes(String name) {
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
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}
