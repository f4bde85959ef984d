package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.ServiceTier;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.testkit.OpenAiRequestSchema;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * {@link ServiceTier} on the two OpenAI wires: {@code service_tier} for every tier OpenAI has
 * (each body valid against the OpenAPI spec, whose enum lists them), a warning for Bedrock's
 * {@code reserved}. The tier served comes back in {@code ChatResponse.serviceTier()}: checked on
 * every recorded answer by {@code OpenAiCassetteReplayTest} and {@code ResponsesCassetteReplayTest}
 * (Azure decodes with the same codec).
 */
class ServiceTierTest {
  private static final OpenAiCodec.Options OPTIONS = OpenAiCodec.Options.of(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS);
  private final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());
  private final ResponsesWire responses = new ResponsesWire(ProviderTestKit.objectMapper());

  @ParameterizedTest
  @EnumSource(value = ServiceTier.class, names = "RESERVED", mode = EnumSource.Mode.EXCLUDE)
  void everyOpenAiTierIsSentAsServiceTier(ServiceTier tier) throws IOException {
    ChatRequest r = ChatRequest.builder("a").user("hi").serviceTier(tier).build();
    ChatWire.Encoded chat = codec.encode(ProviderRequest.from(r), "gpt-4o-mini", OPTIONS);
    OpenAiRequestSchema.assertValidChatRequest(chat.body());
    assertThat(ProviderTestKit.objectMapper().readTree(chat.body()).get("service_tier").asText()).isEqualTo(tier.wireName());
    assertThat(chat.warnings()).isEmpty();
    ChatWire.Encoded resp = responses.encode(ProviderRequest.from(r), "gpt-4o-mini", OPTIONS);
    OpenAiRequestSchema.assertValidResponsesRequest(resp.body());
    assertThat(ProviderTestKit.objectMapper().readTree(resp.body()).get("service_tier").asText()).isEqualTo(tier.wireName());
    assertThat(resp.warnings()).isEmpty();
  }

  @Test
  void reservedIsBedrocksAndBecomesAWarning() throws IOException {
    ChatRequest r = ChatRequest.builder("a").user("hi").serviceTier(ServiceTier.RESERVED).build();
    ChatWire.Encoded chat = codec.encode(ProviderRequest.from(r), "gpt-4o-mini", OPTIONS);
    assertThat(ProviderTestKit.objectMapper().readTree(chat.body()).has("service_tier")).isFalse();
    assertThat(chat.warnings()).containsExactly("service tier reserved is not supported by Chat Completions and was not sent");
    ChatWire.Encoded resp = responses.encode(ProviderRequest.from(r), "gpt-4o-mini", OPTIONS);
    assertThat(ProviderTestKit.objectMapper().readTree(resp.body()).has("service_tier")).isFalse();
    assertThat(resp.warnings()).containsExactly("service tier reserved is not supported by the Responses API and was not sent");
  }

  @Test
  void theTypedTierAndARawServiceTierOptionConflict() {
    ChatRequest r = ChatRequest.builder("a").user("hi").serviceTier(ServiceTier.FLEX).build();
    assertThatThrownBy(() -> codec.encode(ProviderRequest.from(r), "gpt-4o-mini", OPTIONS.withExtraFields(java.util.Map.of("service_tier", "priority"))))
        .isInstanceOf(SwitchboardException.class).hasMessageContaining("service_tier");
  }

  @Test
  void theServedTierIsReadFromTheBody() {
    String body = "{\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"service_tier\":\"flex\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}";
    var b = codec.decodeResponse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new dev.switchboard.http.ErrorContext("openai", "d"), java.util.List.of(), ExtraFields.NONE);
    assertThat(b.servedBy(new dev.switchboard.TargetRef("d", "openai", "m")).build().serviceTier()).contains("flex");
  }
}
