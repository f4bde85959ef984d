package dev.switchboard.azure;

/** How a deployment authenticates (setting {@code auth}). */
enum AuthMode {
  /** The {@code api-key} header with the deployment's secret {@code api-key}. */
  API_KEY("api-key"),
  /** {@code Authorization: Bearer} with a Microsoft Entra ID token. */
  ENTRA("entra");

  final String setting;

  AuthMode(String setting) {
    this.setting = setting;
  }

  static AuthMode parse(String value, String where) {
    for (AuthMode m : values()) {
      if (m.setting.equalsIgnoreCase(value.trim())) return m;
    }
    throw new IllegalArgumentException(where + ": '" + value + "' is not one of api-key, entra");
  }
}
