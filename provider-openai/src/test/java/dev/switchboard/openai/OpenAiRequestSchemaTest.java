package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import dev.switchboard.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schema check itself must be able to fail, or it proves nothing. */
class OpenAiRequestSchemaTest {
  @BeforeEach
  void theSchemaIsNeeded() {
    Fixtures.root(); // the check itself is under test: skip (fail on CI) without the OpenAPI document
  }

  @Test
  void acceptsAMinimalRequest() {
    OpenAiRequestSchema.assertValidChatRequest(
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsWrongShapes() {
    assertThat(OpenAiRequestSchema.validate("CreateChatCompletionRequest",
        "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(OpenAiRequestSchema.validate("CreateChatCompletionRequest",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(OpenAiRequestSchema.validate("CreateChatCompletionRequest",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}"
            .getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(OpenAiRequestSchema.validate("CreateChatCompletionRequest",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    assertThat(OpenAiRequestSchema.validate("CreateChatCompletionRequest",
        ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"tool_choice\":{\"type\":\"function\"}}").getBytes(StandardCharsets.UTF_8))).isNotEmpty();
  }

  /** The problem-list form the Azure tests use (moved from the Azure module with the helper). */
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

  /**
   * The new content shapes of the typed request model (image detail, file parts) are checked too:
   * here, where the OpenAPI document is required, since without it the check steps aside.
   */
  @Test
  void catchesWrongImageDetailAndFileShapes() {
    // The spec check can fail on this field: a detail the API does not define is caught.
    assertThat(OpenAiRequestSchema.chatProblems("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"medium\"}}]}]}")).isNotEmpty();
    assertThat(OpenAiRequestSchema.chatProblems("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"file\",\"file\":{\"file_data\":7}}]}]}")).as("a file part of the wrong shape is caught").isNotEmpty();
  }

  /** The Responses request check (CreateResponse) can fail too: wrong item, tool and format shapes are caught. */
  @Test
  void checksResponsesRequests() {
    assertThat(OpenAiRequestSchema.responsesProblems("{\"model\":\"gpt-5\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .isEmpty();
    assertThat(OpenAiRequestSchema.responsesProblems("{\"model\":\"gpt-5\",\"input\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"))
        .isNotEmpty();
    assertThat(OpenAiRequestSchema.responsesProblems("{\"model\":\"gpt-5\",\"input\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\"}]}]}")).as("input_image without detail").isNotEmpty();
    assertThat(OpenAiRequestSchema.responsesProblems("{\"model\":\"gpt-5\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\","
        + "\"function\":{\"name\":\"f\"}}]}")).as("a Chat Completions-style nested tool").isNotEmpty();
    assertThat(OpenAiRequestSchema.responsesProblems("{\"model\":\"gpt-5\",\"input\":\"hi\",\"text\":{\"format\":"
        + "{\"type\":\"json_schema\"}}}")).as("json_schema without name and schema").isNotEmpty();
    assertThat(OpenAiRequestSchema.responsesProblems("{\"model\":\"gpt-5\",\"input\":[{\"type\":\"function_call\","
        + "\"name\":\"f\",\"arguments\":\"{}\"}]}")).as("a function_call without call_id").isNotEmpty();
  }
}
