package dev.switchboard.azure;

import java.util.Locale;

/** Which Azure OpenAI URL surface a deployment calls (setting {@code url-style}). */
public enum UrlStyle {
  /**
   * {@code POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version={v}}: the
   * classic surface, every API version; the Azure deployment name is a path segment.
   */
  DEPLOYMENT("deployment"),
  /**
   * {@code POST {endpoint}/openai/v1/chat/completions}: the version-less v1 surface; the Azure
   * deployment name goes in the body's {@code model}.
   */
  V1("v1");

  private final String setting;

  UrlStyle(String setting) {
    this.setting = setting;
  }

  /** The value of the {@code url-style} setting. */
  public String setting() {
    return setting;
  }

  static UrlStyle parse(String value, String where) {
    for (UrlStyle s : values()) {
      if (s.setting.equals(value.trim().toLowerCase(Locale.ROOT))) return s;
    }
    throw new IllegalArgumentException(where + ": '" + value + "' is not one of deployment, v1");
  }
}
