package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.ReasoningSettings;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ServiceTier;
import dev.switchboard.Switchboard;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the SPI from changing by accident: a new {@link ChatRequest} field must be either carried
 * in {@link ProviderRequest} (which changes the SPI: bump {@link ProviderFactory#SPEC_VERSION}) or
 * listed here as read by the engine only.
 */
class ProviderRequestTest {
  /** Fields the engine resolves and providers never see: the alias, the deadline, a direct target. */
  static final Set<String> ENGINE_ONLY = Set.of("model", "timeout", "target");

  private static Map<String, RecordComponent> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents())
        .collect(Collectors.toMap(RecordComponent::getName, Function.identity()));
  }

  @Test
  void everyChatRequestFieldIsCarriedOrEngineOnly() {
    Map<String, RecordComponent> user = components(ChatRequest.class);
    Map<String, RecordComponent> provider = components(ProviderRequest.class);
    for (RecordComponent c : user.values()) {
      if (ENGINE_ONLY.contains(c.getName())) {
        assertThat(provider).as("engine-only field %s must not reach providers", c.getName()).doesNotContainKey(c.getName());
        continue;
      }
      assertThat(provider)
          .as("ChatRequest.%s is neither in ProviderRequest nor engine-only: carry it (and bump SPEC_VERSION) or list it",
              c.getName())
          .containsKey(c.getName());
      assertThat(provider.get(c.getName()).getGenericType()).as(c.getName()).isEqualTo(c.getGenericType());
    }
    assertThat(user.keySet()).containsAll(provider.keySet()); // nothing providers get that users cannot set
    assertThat(user.keySet()).containsAll(ENGINE_ONLY);        // the list names real fields
  }

  @Test
  void fromCopiesEveryCarriedField() throws ReflectiveOperationException {
    ToolDefinition weather = ToolDefinition.of("get_weather", "Weather for a city");
    ChatRequest r = ChatRequest.builder("chat").system("Be brief.").user("Weather in Paris?").temperature(0.4).topP(0.9)
        .maxTokens(64).stop(List.of("END")).seed(7L).endUser("user-1").tool(weather).toolChoice(ToolChoice.tool("get_weather"))
        .responseFormat(ResponseFormat.jsonObject()).providerOption("openai", "logprobs", true)
        .reasoning(ReasoningSettings.budget(1024)).topK(40).parallelToolCalls(false).cachePoint().cachePointAfterTools()
        .serviceTier(ServiceTier.PRIORITY).timeout(Duration.ofSeconds(5)).build();
    ProviderRequest p = ProviderRequest.from(r);
    for (RecordComponent c : ProviderRequest.class.getRecordComponents()) {
      Object sent = ChatRequest.class.getMethod(c.getName()).invoke(r);
      assertThat(c.getAccessor().invoke(p)).as(c.getName()).isEqualTo(sent);
    }
    assertThat(p.providerOptions("openai")).containsEntry("logprobs", true);
    assertThat(p.providerOptions("bedrock")).isEmpty();
    assertThat(p.toString()).doesNotContain("Paris").doesNotContain("Be brief");
  }

  @Test
  void everyAttemptOfACallGetsTheSameRequest() {
    MockProvider first = MockProvider.create().otherwiseFail(ErrorKind.UNAVAILABLE);
    MockProvider second = MockProvider.create().otherwiseReply("ok");
    try (Switchboard sb = Switchboard.builder().deployment("a", first).deployment("b", second)
        .model(ModelAlias.builder("chat").target("a", "m1").target("b", "m2").build())
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build()).build()) {
      sb.chat(ChatRequest.of("chat", "hi"));
      assertThat(second.lastCall().request()).isSameAs(first.lastCall().request());
      assertThat(second.lastCall().target().model()).isEqualTo("m2");

      second.thenStream(StreamScript.builder().text("ok").build());
      try (var s = sb.stream(ChatRequest.of("chat", "hi"))) {
        s.response().join();
      }
      assertThat(second.lastCall().request()).isSameAs(first.lastCall().request());
    }
  }
}
