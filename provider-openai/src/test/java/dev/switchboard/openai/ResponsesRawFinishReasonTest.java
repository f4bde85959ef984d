package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.FinishReason;
import dev.switchboard.TargetRef;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.spi.ResponseMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Responses API answer's own finish reason reaches {@link ChatResponse#rawFinishReason()}:
 * {@code incomplete_details.reason} when the response is incomplete and names one, else its
 * {@code status}, streamed ({@code response.completed} / {@code response.incomplete}) and not,
 * including values {@link FinishReason} folds into OTHER.
 */
class ResponsesRawFinishReasonTest {
  private static final ErrorContext CTX = new ErrorContext("openai", "t");
  private final ResponsesWire wire = new ResponsesWire(ProviderTestKit.objectMapper());

  private static String response(String status, String incomplete) {
    return "{\"id\":\"resp_1\",\"status\":" + status + ",\"model\":\"gpt-5\",\"incomplete_details\":" + incomplete
        + ",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\"}]}],"
        + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
  }

  @ParameterizedTest(name = "status {0}, incomplete_details {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "'\"completed\"'  | null                                  | STOP           | completed",
      "'\"incomplete\"' | '{\"reason\":\"max_output_tokens\"}'  | LENGTH         | max_output_tokens",
      "'\"incomplete\"' | '{\"reason\":\"content_filter\"}'     | CONTENT_FILTER | content_filter",
      "'\"incomplete\"' | '{\"reason\":\"some_future_reason\"}' | OTHER          | some_future_reason",
      "'\"incomplete\"' | null                                  | OTHER          | incomplete",
      "'\"paused\"'     | null                                  | OTHER          | paused",
      "null             | null                                  | STOP           | none",
  })
  void theRawReasonIsTheIncompleteReasonElseTheStatus(String status, String incomplete, FinishReason reason, String raw) {
    ChatResponse r = wire.decodeResponse(response(status, incomplete).getBytes(StandardCharsets.UTF_8), CTX, List.of(),
        ExtraFields.NONE).servedBy(new TargetRef("t", "openai", "gpt-5")).build();
    assertThat(r.finishReason()).isEqualTo(reason);
    assertThat(r.rawFinishReason()).isEqualTo(Optional.ofNullable(raw));
  }

  @ParameterizedTest(name = "{0}, status {1}, incomplete_details {2}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "response.completed  | '\"completed\"'  | null                                  | STOP   | completed",
      "response.incomplete | '\"incomplete\"' | '{\"reason\":\"max_output_tokens\"}'  | LENGTH | max_output_tokens",
      "response.incomplete | '\"incomplete\"' | '{\"reason\":\"some_future_reason\"}' | OTHER  | some_future_reason",
      "response.completed  | null             | null                                  | STOP   | none",
  })
  void aStreamedAnswerCarriesItsRawReason(String event, String status, String incomplete, FinishReason reason, String raw) {
    SseDecoder d = wire.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    List<ChatEvent> events = new ArrayList<>();
    d.accept("message", "{\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}", events::add);
    d.accept("message", "{\"type\":\"" + event + "\",\"response\":" + response(status, incomplete) + "}", events::add);
    ResponseMetadata meta = d.finish(events::add, Optional.empty(), Optional.empty());
    assertThat(events).last().isEqualTo(new ChatEvent.Finish(reason));
    assertThat(meta.rawFinishReason()).isEqualTo(Optional.ofNullable(raw));
  }
}
