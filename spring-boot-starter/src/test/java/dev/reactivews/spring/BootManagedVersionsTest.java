package dev.reactivews.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivews.testing.ManagedVersions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The starter is tested on the versions an app on Spring Boot gets: wherever Boot's BOM manages a
 * jar of this class path (Netty, Jackson, Lettuce, JUnit, Tomcat...), the jar is at Boot's version.
 * The build passes the local repository and Boot's version (see this module's pom).
 */
class BootManagedVersionsTest {
  @Test
  void everyJarBootManagesIsAtBootsVersion() {
    ManagedVersions boot = ManagedVersions.of(Path.of(System.getProperty("reactivews.localRepository")),
        "org.springframework.boot:spring-boot-dependencies:" + System.getProperty("reactivews.springBootVersion"));
    assertThat(boot.managedOnTheClassPath()).as("jars Boot's BOM manages on this class path").isGreaterThan(20);
    assertThat(boot.mismatchesOnTheClassPath()).isEmpty();
  }
}
