package dev.switchboard.azure;

import dev.switchboard.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * A Microsoft Entra ID access token for Azure OpenAI and the instant it expires. The token is a
 * {@link Secret}: {@code toString()} shows only the expiry.
 */
public record AzureAccessToken(Secret token, Instant expiresAt) {
  public AzureAccessToken {
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
  }

  public static AzureAccessToken of(String token, Instant expiresAt) {
    return new AzureAccessToken(Secret.of(token), expiresAt);
  }

  @Override
  public String toString() {
    return "AzureAccessToken[expiresAt=" + expiresAt + "]";
  }
}
