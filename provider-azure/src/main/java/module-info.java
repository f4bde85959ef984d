/**
 * The Azure OpenAI provider (type {@code azure-openai}): deployment and {@code /openai/v1} URLs,
 * API key or Entra ID tokens, content-filter results.
 *
 * <p>azure-identity is optional ({@code requires static}, not transitive, so that a module reading
 * this one compiles without it): only {@link dev.switchboard.azure.AzureIdentityTokens} touches it.
 * On the module path an application that uses it requires {@code com.azure.identity} itself (or
 * adds it with {@code --add-modules}), since a static requirement does not resolve the module.
 * {@code AzureOpenAi} exposes OpenAI codec types it reuses ({@code OpenAiApi}), hence {@code
 * requires transitive dev.switchboard.openai}. {@code META-INF/services} registers the same factory
 * on the classpath.
 */
module dev.switchboard.azure {
  requires transitive dev.switchboard.core;
  requires transitive dev.switchboard.openai;
  requires org.slf4j;
  requires static com.azure.core;
  requires static com.azure.identity;

  exports dev.switchboard.azure;

  provides dev.switchboard.spi.ProviderFactory with dev.switchboard.azure.AzureOpenAiProviderFactory;
}
