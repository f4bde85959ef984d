package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A 429 that says "0 requests remaining" (as Azure's do) but no reset time: the target is back
 * after the Retry-After, not after the default minute a header snapshot is otherwise trusted.
 */
class QuotaAfterRateLimitTest {

  @Test
  void aRateLimitedTargetWithZeroRemainingIsUsedAgainAfterItsRetryAfter() {
    VirtualTime time = new VirtualTime();
    RateLimitInfo zeroLeft = new RateLimitInfo(OptionalLong.empty(), OptionalLong.of(0), Optional.empty(),
        OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    SwitchboardException throttled = SwitchboardException.builder(ErrorKind.RATE_LIMITED, "Too many requests")
        .httpStatus(429).retryAfter(Duration.ofSeconds(3)).rateLimit(zeroLeft).build();
    MockProvider azure = MockProvider.create(time).thenFail(throttled).otherwiseReply("azure");
    MockProvider bedrock = MockProvider.create(time).otherwiseReply("bedrock");
    try (Switchboard sb = Switchboard.builder().time(time, time)
        .deployment("azure", azure).deployment("bedrock", bedrock)
        .model(ModelAlias.builder("chat").target("azure", "a").target("bedrock", "b").build()).build()) {
      assertThat(sb.chat(ChatRequest.of("chat", "1")).text()).isEqualTo("bedrock");
      ChatResponse during = sb.chat(ChatRequest.of("chat", "2"));
      assertThat(during.text()).isEqualTo("bedrock");
      assertThat(during.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);

      time.advance(Duration.ofMillis(3001));
      ChatResponse after = sb.chat(ChatRequest.of("chat", "3"));
      assertThat(after.text()).isEqualTo("azure");
      assertThat(after.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.SUCCEEDED);
    }
  }
}
