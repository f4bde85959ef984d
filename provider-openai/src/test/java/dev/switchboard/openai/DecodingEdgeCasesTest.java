package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.ToolCall;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.StreamCollector;
import dev.switchboard.spi.ResponseMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Shapes the recordings do not cover but the API documents or OpenAI-compatible servers send:
 * legacy function calls, refusals, every finish reason, several choices, and tool-call deltas
 * without an index, with repeated ids, or reusing an index for a new call.
 */
class DecodingEdgeCasesTest {
  private static final ErrorContext CTX = new ErrorContext("openai", "edge");
  private static final TargetRef TARGET = new TargetRef("edge", "openai", "m");
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());

  private ChatResponse decode(String json) {
    return codec.decodeResponse(json.getBytes(StandardCharsets.UTF_8), CTX, List.of(), ExtraFields.NONE).servedBy(TARGET).build();
  }

  private static String response(String message, String finish) {
    return "{\"id\":\"chatcmpl-x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  @Test
  void finishReasonsMap() {
    assertThat(decode(response("{\"content\":\"a\"}", "stop")).finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(decode(response("{\"content\":\"a\"}", "length")).finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(decode(response("{\"content\":\"\"}", "content_filter")).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(decode(response("{\"content\":\"a\"}", "something_new")).finishReason()).isEqualTo(FinishReason.OTHER);
    assertThat(decode(response("{\"content\":\"a\"}", null)).finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void theRawFinishReasonIsKeptBesideTheNormalisedOne() {
    // DeepSeek's OpenAI-compatible API sends insufficient_system_resource, which has no FinishReason of its own.
    ChatResponse r = decode(response("{\"content\":\"a\"}", "insufficient_system_resource"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.OTHER);
    assertThat(r.rawFinishReason()).contains("insufficient_system_resource");
    assertThat(decode(response("{\"content\":\"a\"}", "length")).rawFinishReason()).contains("length");
    assertThat(decode(response("{\"content\":\"a\"}", null)).rawFinishReason()).isEmpty();

    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    d.accept(delta("{\"content\":\"hi\"}"), events::add);
    d.accept("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"insufficient_system_resource\"}]}", events::add);
    d.accept("[DONE]", events::add);
    ResponseMetadata meta = d.finish(events::add, Optional.empty(), Optional.empty());
    assertThat(events).last().isEqualTo(new ChatEvent.Finish(FinishReason.OTHER));
    assertThat(meta.rawFinishReason()).contains("insufficient_system_resource");
    StreamCollector acc = new StreamCollector();
    events.forEach(acc::accept);
    assertThat(acc.response(TARGET, meta).rawFinishReason()).contains("insufficient_system_resource");
  }

  @Test
  void legacyFunctionCallBecomesAToolCall() {
    ChatResponse r = decode(response("{\"content\":null,\"function_call\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":1}\"}}",
        "function_call"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls()).containsExactly(new ToolCall("call_0", "lookup", "{\"q\":1}"));
  }

  @Test
  void refusalReasoningAndFingerprint() {
    ChatResponse r = decode("{\"id\":\"c\",\"model\":\"m\",\"system_fingerprint\":\"fp_1\",\"service_tier\":\"default\","
        + "\"choices\":[{\"index\":0,\"message\":{\"content\":null,\"refusal\":\"I can't.\",\"reasoning_content\":\"hmm\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}");
    assertThat(r.text()).isEmpty();
    assertThat(r.message().refusal()).contains("I can't.");
    assertThat(r.metadata(OpenAiCodec.SYSTEM_FINGERPRINT, String.class)).contains("fp_1");
    assertThat(r.metadata(OpenAiCodec.SERVICE_TIER, String.class)).contains("default");
    assertThat(r.message().reasoning()).containsExactly(
        dev.switchboard.Reasoning.text(dev.switchboard.Reasoning.Wire.CHAT_COMPLETIONS, "hmm"));
    assertThat(r.usage().cachedInputTokens()).hasValue(1);
    assertThat(r.usage().reasoningTokens()).hasValue(1);
  }

  @Test
  void onlyTheFirstChoiceIsUsedAndThatIsAWarning() {
    ChatResponse r = decode("{\"model\":\"m\",\"choices\":[{\"index\":1,\"message\":{\"content\":\"second\"},\"finish_reason\":\"stop\"},"
        + "{\"index\":0,\"message\":{\"content\":\"first\"},\"finish_reason\":\"stop\"}]}");
    assertThat(r.text()).isEqualTo("first");
    assertThat(r.warnings()).singleElement().asString().contains("2 choices");
  }

  @Test
  void contentAsAnArrayOfPartsIsJoined() {
    assertThat(decode(response("{\"content\":[{\"type\":\"text\",\"text\":\"Hel\"},{\"type\":\"text\",\"text\":\"lo\"}]}", "stop"))
        .text()).isEqualTo("Hello");
  }

  @Test
  void brokenResponsesAreProtocolErrors() {
    for (String bad : List.of("", "[]", "{\"choices\":[]}", "{\"choices\":[{\"index\":0,\"message\":{\"tool_calls\":"
        + "[{\"id\":\"c\",\"function\":{\"arguments\":\"{}\"}}]}}]}", "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"x\"}}]} trailing")) {
      assertThatThrownBy(() -> decode(bad)).as(bad).isInstanceOfSatisfying(SwitchboardException.class,
          e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
    }
  }

  @Test
  void anErrorObjectInA200BodyIsTyped() {
    assertThatThrownBy(() -> decode("{\"error\":{\"message\":\"busy\",\"type\":\"server_error\",\"code\":\"rate_limit_exceeded\"}}"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED));
  }

  // ---- streams ----

  private List<ChatEvent> stream(String... data) {
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    for (String s : data) d.accept(s, events::add);
    d.finish(events::add, Optional.empty(), Optional.empty());
    return events;
  }

  private static String delta(String delta) {
    return "{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" + delta + "}]}";
  }

  private static List<ToolCall> calls(List<ChatEvent> events) {
    StreamCollector acc = new StreamCollector();
    events.forEach(acc::accept);
    return acc.toolCalls();
  }

  @Test
  void parallelToolCallsInterleavedByIndex() {
    List<ChatEvent> events = stream(
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"y\\\"\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"x\\\":1}\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\":2}\"}}]}"),
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}", "[DONE]");
    assertThat(calls(events)).containsExactly(new ToolCall("a", "f", "{\"x\":1}"), new ToolCall("b", "g", "{\"y\":2}"));
    assertThat(events).last().isEqualTo(new ChatEvent.Finish(FinishReason.TOOL_CALLS));
    assertThat(events).filteredOn(e -> e instanceof ChatEvent.ToolCallDelta t && t.name().isPresent()).hasSize(2);
  }

  @Test
  void serversThatRepeatIdAndNameOrReuseIndexZero() {
    List<ChatEvent> repeated = stream(
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\"\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\":1}\"}}]}"), "[DONE]");
    assertThat(calls(repeated)).containsExactly(new ToolCall("a", "f", "{\"x\":1}"));
    List<ChatEvent> reused = stream(
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}"),
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    assertThat(calls(reused)).containsExactly(new ToolCall("a", "f", "{}"), new ToolCall("b", "g", "{}"));
    List<ChatEvent> noIndex = stream(
        delta("{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\"\"}}]}"),
        delta("{\"tool_calls\":[{\"function\":{\"arguments\":\":1}\"}}]}"),
        delta("{\"tool_calls\":[{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}"), "[DONE]");
    assertThat(calls(noIndex)).containsExactly(new ToolCall("a", "f", "{\"x\":1}"), new ToolCall("b", "g", "{}"));
  }

  @Test
  void aToolCallThatNeverNamesItsFunctionIsAProtocolError() {
    assertThatThrownBy(() -> stream(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"arguments\":\"{}\"}}]}"), "[DONE]"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
  }

  @Test
  void doneWithoutFinishReasonDerivesIt() {
    assertThat(stream(delta("{\"content\":\"hi\"}"), "[DONE]")).last().isEqualTo(new ChatEvent.Finish(FinishReason.STOP));
  }

  @Test
  void refusalDeltasAndModelFromTheFirstNonEmptyChunk() {
    List<ChatEvent> events = new ArrayList<>();
    OpenAiStreamDecoder d = codec.streamDecoder(CTX, List.of(), ExtraFields.NONE);
    d.accept("{\"choices\":[],\"model\":\"\",\"id\":\"\",\"prompt_filter_results\":[]}", events::add);
    d.accept("{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can\"}}]}", events::add);
    d.accept("{\"id\":\"c1\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"'t.\"},\"finish_reason\":\"stop\"}]}", events::add);
    d.accept("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other choice\"}}]}", events::add);
    ResponseMetadata meta = d.finish(events::add, Optional.of("req-1"), Optional.empty());
    assertThat(events).containsExactly(new ChatEvent.RefusalDelta("I can"), new ChatEvent.RefusalDelta("'t."),
        new ChatEvent.Finish(FinishReason.STOP));
    assertThat(meta.model()).isEqualTo("gpt-x");
    assertThat(meta.id()).contains("c1");
    assertThat(meta.requestId()).contains("req-1");
    StreamCollector acc = new StreamCollector();
    events.forEach(acc::accept);
    ChatResponse r = acc.response(TARGET, meta);
    assertThat(r.message().refusal()).contains("I can't.");
    assertThat(r.text()).isEmpty();
    assertThat(meta.metadata()).doesNotContainKey("openai.refusal");
  }

  @Test
  void dataThatIsNotJsonIsAProtocolError() {
    assertThatThrownBy(() -> stream("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}"))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
          assertThat(e.detail()).contains("chunk 1");
        });
  }
}
