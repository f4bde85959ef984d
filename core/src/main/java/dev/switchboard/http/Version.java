package dev.switchboard.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version, read from the build's filtered resource. */
final class Version {
  static final String VERSION = load();

  private Version() {}

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) return "dev";
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
