package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatRequest;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two JVMs, one Redis: what one instance sent counts against the quota the other sees. */
class TwoJvmsTest {

  @Test
  void aQuotaUsedInAnotherJvmIsNotAdmittedAgainHere() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String namespace = "jvms-" + UUID.randomUUID();
      int limit = 15;
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process other = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
          OtherJvmInstance.class.getName(), redis.uri(), namespace, Integer.toString(limit), "10"))
          .redirectErrorStream(true).start();
      String output;
      try {
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).as("the other JVM finished").isTrue();
        output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        other.destroyForcibly();
      }
      assertThat(other.exitValue()).as(output).isZero();
      assertThat(output).contains("primary=10");

      MockProvider primary = MockProvider.create().otherwiseReply("from the primary");
      try (RedisSharedState state = RedisSharedState.builder().uri(redis.uri()).namespace(namespace)
              .refreshInterval(Duration.ofMillis(100)).build();
          Switchboard sb = OtherJvmInstance.instance(primary, MockProvider.create().otherwiseReply("from the fallback"), limit, state)) {
        Eventually.await("connected", Duration.ofSeconds(10), state::reachable);
        TargetRef primaryRef = new TargetRef("primary", "mock", "m");
        Eventually.await("the other JVM's 10 sends seen here", Duration.ofSeconds(30),
            () -> state.target(primaryRef, Clock.systemUTC()).requestsInLastMinute(System.currentTimeMillis()) >= 10);
        for (int n = 0; n < 10; n++) {
          sb.chat(ChatRequest.of("chat", "hi"));
          Eventually.await("report settled", Duration.ofSeconds(10), state::settled);
        }
      }
      assertThat(primary.callCount()).as("admitted here after the other JVM used 10 of 15").isEqualTo(limit - 10);
    }
  }
}
