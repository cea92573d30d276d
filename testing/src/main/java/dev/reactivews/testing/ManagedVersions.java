package dev.reactivews.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The versions a BOM (Spring Boot's, say) manages, against the jars on this class path: a module
 * meant to run on a BOM's versions is tested on exactly those.
 *
 * <p>The BOM is read as Maven reads it: with its parents' properties and managed dependencies,
 * and the BOMs it imports, the first entry for an artifact winning. They are read from the local
 * Maven repository, where the build that runs the test has already put them. A jar is known by the
 * {@code META-INF/maven/<group>/<artifact>/pom.properties} Maven writes into it.
 */
public final class ManagedVersions {
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  private final Path repository;
  private final Map<String, String> managed = new LinkedHashMap<>();

  private ManagedVersions(Path repository) {
    this.repository = repository;
  }

  /** What {@code group:artifact:version} manages, read from the local repository at this path. */
  public static ManagedVersions of(Path localRepository, String bom) {
    String[] coordinates = bom.split(":");
    if (coordinates.length != 3) {
      throw new IllegalArgumentException("expected group:artifact:version, got " + bom);
    }
    ManagedVersions versions = new ManagedVersions(localRepository);
    versions.importBom(coordinates[0], coordinates[1], coordinates[2]);
    return versions;
  }

  /**
   * Every jar on the class path whose version differs from the one the BOM manages, as {@code
   * group:artifact} to {@code "on the class path 1.0, managed 1.1"}; empty when all agree.
   */
  public Map<String, String> mismatchesOnTheClassPath() {
    Map<String, String> mismatches = new TreeMap<>();
    classPathArtifacts().forEach((artifact, version) -> {
      String expected = managed.get(artifact);
      if (expected != null && !expected.equals(version)) {
        mismatches.put(artifact, "on the class path " + version + ", managed " + expected);
      }
    });
    return mismatches;
  }

  /** How many jars of the class path the BOM manages: a check of none would prove nothing. */
  public long managedOnTheClassPath() {
    return classPathArtifacts().keySet().stream().filter(managed::containsKey).count();
  }

  private void importBom(String group, String artifact, String version) {
    Pom pom = read(group, artifact, version);
    for (Element dependency : pom.managedDependencies()) {
      String dependencyGroup = pom.resolve(child(dependency, "groupId"));
      String dependencyArtifact = pom.resolve(child(dependency, "artifactId"));
      String dependencyVersion = pom.resolve(child(dependency, "version"));
      if ("import".equals(child(dependency, "scope"))) {
        importBom(dependencyGroup, dependencyArtifact, dependencyVersion);
      } else {
        managed.putIfAbsent(dependencyGroup + ":" + dependencyArtifact, dependencyVersion);
      }
    }
  }

  /** A POM with the properties of its parents, and its own managed dependencies, then theirs. */
  private Pom read(String group, String artifact, String version) {
    Path file = repository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
        .resolve(artifact + "-" + version + ".pom");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("not in the local repository: " + file);
    }
    Element project = parse(file);
    Element parent = childElement(project, "parent");
    Pom inherited = parent == null ? null
        : read(required(parent, "groupId", file), required(parent, "artifactId", file), required(parent, "version", file));
    Map<String, String> properties = new HashMap<>(inherited == null ? Map.of() : inherited.properties);
    properties.put("project.groupId", group);
    properties.put("project.version", version);
    Element own = childElement(project, "properties");
    if (own != null) {
      NodeList children = own.getChildNodes();
      for (int i = 0; i < children.getLength(); i++) {
        if (children.item(i) instanceof Element property) {
          properties.put(property.getTagName(), property.getTextContent().strip());
        }
      }
    }
    Element management = childElement(project, "dependencyManagement");
    Element dependencies = management == null ? null : childElement(management, "dependencies");
    return new Pom(properties, dependencies);
  }

  private record Pom(Map<String, String> properties, @Nullable Element dependencies) {
    List<Element> managedDependencies() {
      List<Element> found = new ArrayList<>();
      if (dependencies != null) {
        NodeList children = dependencies.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
          if (children.item(i) instanceof Element dependency && dependency.getTagName().equals("dependency")) {
            found.add(dependency);
          }
        }
      }
      return found;
    }

    /** The text with its properties filled in; what is missing stays as it was, {@code ${name}}. */
    String resolve(@Nullable String text) {
      if (text == null) {
        return "";
      }
      Matcher matcher = PROPERTY.matcher(text);
      StringBuilder resolved = new StringBuilder();
      while (matcher.find()) {
        String value = properties.get(matcher.group(1));
        matcher.appendReplacement(resolved, Matcher.quoteReplacement(value != null ? resolve(value) : matcher.group()));
      }
      return matcher.appendTail(resolved).toString();
    }
  }

  private static Map<String, String> classPathArtifacts() {
    Map<String, String> found = new HashMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.endsWith(".jar")) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (JarEntry descriptor : jar.stream().filter(ManagedVersions::isMavenDescriptor).toList()) {
          Properties properties = new Properties();
          try (InputStream in = jar.getInputStream(descriptor)) {
            properties.load(in);
          }
          found.put(properties.getProperty("groupId") + ":" + properties.getProperty("artifactId"),
              properties.getProperty("version"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + entry, e);
      }
    }
    return found;
  }

  private static boolean isMavenDescriptor(JarEntry entry) {
    return entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties");
  }

  private static String required(Element parent, String tag, Path file) {
    String text = child(parent, tag);
    if (text == null) {
      throw new IllegalStateException("<" + parent.getTagName() + "> without <" + tag + "> in " + file);
    }
    return text;
  }

  private static @Nullable String child(Element parent, String tag) {
    Element element = childElement(parent, tag);
    return element == null ? null : element.getTextContent().strip();
  }

  private static @Nullable Element childElement(Element parent, String tag) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element element && element.getTagName().equals(tag)) {
        return element;
      }
    }
    return null;
  }

  private static Element parse(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalArgumentException("not a POM: " + pom, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
