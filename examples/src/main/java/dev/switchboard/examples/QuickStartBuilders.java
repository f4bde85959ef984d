package dev.switchboard.examples;

import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Deployment;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;

/**
 * The README's quick start without a file, on the builders, kept compiling; {@code ReadmeTest}
 * checks the README's block against this file. {@link Secret#env} fails naming the variable when
 * {@code AZURE_OPENAI_API_KEY} is not set.
 */
public class QuickStartBuilders {
  public static void main(String[] args) {
    try (Switchboard sb = Switchboard.builder()
        .deployment(Deployment.builder("azure-east", "azure-openai").setting("endpoint", "https://my-resource.openai.azure.com")
            .secret("api-key", Secret.env("AZURE_OPENAI_API_KEY")).build())
        .deployment(Deployment.builder("bedrock-west", "bedrock").setting("region", "us-west-2").build())
        .model(ModelAlias.builder("chat").target("azure-east", "gpt-4o-prod").target("bedrock-west", "openai.gpt-oss-120b-1:0").build())
        .build()) {
      ChatResponse answer = sb.chat(ChatRequest.of("chat", "Hello!"));
      System.out.println(answer.text() + " (served by " + answer.servedBy() + ")");
    }
  }
}
