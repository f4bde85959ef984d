package dev.switchboard.azure;

/**
 * Supplies Microsoft Entra ID access tokens (scope {@code https://cognitiveservices.azure.com/.default})
 * for deployments with {@code auth = entra}.
 *
 * <p>Switchboard caches the token it returns and calls {@link #fetch()} again only shortly before
 * that token expires (see {@link AzureOpenAiProviderFactory} for the timing), from one thread at
 * a time per deployment, on a background thread of the shared HTTP client when possible. An
 * expired token is never sent. {@code fetch} may block (a network call to Entra ID); it reports
 * failure by throwing: a {@link dev.switchboard.SwitchboardException} keeps its kind, anything
 * else becomes {@link dev.switchboard.ErrorKind#AUTHENTICATION}.
 *
 * <p>To use {@code azure-identity}, wrap a {@code TokenCredential} with
 * {@link AzureIdentityTokens#of(com.azure.core.credential.TokenCredential)}.
 */
@FunctionalInterface
public interface AzureTokenSupplier {
  /** A fresh token; must not return null. */
  AzureAccessToken fetch() throws Exception;
}
