package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schema helper can fail: it rejects bodies the OpenAI schema rejects. */
class OpenAiRequestSchemaTest {
  @Test
  void acceptsAValidBodyAndRejectsBrokenOnes() {
    assertThat(OpenAiRequestSchema.chatProblems("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .isEmpty();
    assertThat(OpenAiRequestSchema.chatProblems("{\"model\":\"gpt-4o\",\"messages\":[]}")).isNotEmpty();
    assertThat(OpenAiRequestSchema.chatProblems("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).isNotEmpty();
    assertThat(OpenAiRequestSchema.chatProblems(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}")).isNotEmpty();
    assertThat(OpenAiRequestSchema.embeddingsProblems("{\"model\":\"e\",\"input\":[\"a\"],\"encoding_format\":\"float\"}")).isEmpty();
    assertThat(OpenAiRequestSchema.embeddingsProblems("{\"model\":\"e\",\"input\":[\"a\"],\"encoding_format\":\"hex\"}")).isNotEmpty();
  }
}
