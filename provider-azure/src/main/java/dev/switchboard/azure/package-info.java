/**
 * The Azure OpenAI provider (deployment type {@code azure-openai}): configuration with
 * {@link dev.switchboard.azure.AzureOpenAi}, settings and Entra ID token suppliers on
 * {@link dev.switchboard.azure.AzureOpenAiProviderFactory}, typed content-filter metadata under
 * {@link dev.switchboard.azure.AzureMetadata}, and {@link dev.switchboard.azure.AzureOpenAiException}.
 */
package dev.switchboard.azure;
