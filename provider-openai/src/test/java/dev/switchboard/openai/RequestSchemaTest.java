package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The schema check itself must be able to fail, or it proves nothing. */
class RequestSchemaTest {

  @Test
  void acceptsAMinimalRequest() {
    RequestSchema.assertValidChatRequest(
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsWrongShapes() {
    assertThat(RequestSchema.validate("CreateChatCompletionRequest",
        "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(RequestSchema.validate("CreateChatCompletionRequest",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(RequestSchema.validate("CreateChatCompletionRequest",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}"
            .getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(RequestSchema.validate("CreateChatCompletionRequest",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(RequestSchema.validate("CreateChatCompletionRequest",
        ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"tool_choice\":{\"type\":\"function\"}}").getBytes(StandardCharsets.UTF_8))).isNotEmpty();
  }
}
