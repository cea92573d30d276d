package dev.reactivews.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Files a transport serves from the class path (the browser client, an app's static folder). */
public final class ClassPathFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ClassPathFiles.class);
  private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("ts", "text/plain; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  /** Files read once. Missing ones are not remembered, so requests for them cannot fill memory. */
  private final ConcurrentMap<String, byte[]> files = new ConcurrentHashMap<>();

  /** The resource's bytes, or null if there is no such file (a folder is none). */
  public byte[] read(String resource) {
    return files.computeIfAbsent(resource, ClassPathFiles::load);
  }

  /** Whether a request path may name a file under a served folder: no way out of it, no odd separators. */
  public static boolean isSafePath(String path) {
    return !path.contains("..") && !path.contains("\\") && !path.contains("//");
  }

  /** The content type of the resource, by its extension. */
  public static String contentType(String resource) {
    return CONTENT_TYPES.getOrDefault(resource.substring(resource.lastIndexOf('.') + 1), "application/octet-stream");
  }

  private static byte[] load(String resource) {
    URL url = ClassPathFiles.class.getClassLoader().getResource(resource);
    try {
      if (url == null || isFolder(url)) {
        return null;
      }
      try (InputStream in = url.openStream()) {
        return in.readAllBytes();
      }
    } catch (IOException | URISyntaxException e) {
      LOG.warn("cannot read {}", LogText.escape(resource), e);
      return null;
    }
  }

  /** Folders are resources too, and reading one from the file system lists its files: never serve one. */
  private static boolean isFolder(URL url) throws IOException, URISyntaxException {
    return switch (url.getProtocol()) {
      case "file" -> Files.isDirectory(Path.of(url.toURI()));
      case "jar" -> ((JarURLConnection) url.openConnection()).getJarEntry().isDirectory();
      default -> false;
    };
  }
}
