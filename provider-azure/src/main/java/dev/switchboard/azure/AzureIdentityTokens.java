package dev.switchboard.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.util.Objects;

/**
 * The bridge to {@code com.azure:azure-identity}: adapts a {@link TokenCredential} (for example
 * {@code DefaultAzureCredential}, a managed identity or a workload identity) to an
 * {@link AzureTokenSupplier} for the scope {@value #SCOPE}.
 *
 * <p>{@code azure-identity} is an optional dependency of this module: add it to your build to
 * use this class. Nothing else in the module refers to it, so the provider loads and works
 * without it (with API keys or your own {@link AzureTokenSupplier}).
 */
public final class AzureIdentityTokens {
  /** The Entra ID scope of Azure OpenAI (Cognitive Services). */
  public static final String SCOPE = "https://cognitiveservices.azure.com/.default";

  private AzureIdentityTokens() {}

  /** Tokens from {@code credential} for {@link #SCOPE}. */
  public static AzureTokenSupplier of(TokenCredential credential) {
    Objects.requireNonNull(credential, "credential == null");
    return () -> {
      AccessToken token = credential.getTokenSync(new TokenRequestContext().addScopes(SCOPE));
      if (token == null || token.getToken() == null || token.getToken().isBlank() || token.getExpiresAt() == null) {
        throw SwitchboardException.of(ErrorKind.AUTHENTICATION, "the azure-identity credential "
            + credential.getClass().getName() + " returned no token");
      }
      return AzureAccessToken.of(token.getToken(), token.getExpiresAt().toInstant());
    };
  }

  /**
   * Tokens from a {@code DefaultAzureCredential} (environment, workload identity, managed
   * identity, Azure CLI, ...); used for a deployment with {@code auth = entra} and no token
   * supplier of its own when {@code azure-identity} is on the classpath.
   */
  public static AzureTokenSupplier defaultCredential() {
    return of(new com.azure.identity.DefaultAzureCredentialBuilder().build());
  }
}
