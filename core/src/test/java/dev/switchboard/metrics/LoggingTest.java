package dev.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testkit.logging.RecordingLogs;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** What Switchboard logs: attempts at DEBUG, failover at WARN, content only when turned on. */
class LoggingTest {

  @BeforeEach
  void clear() {
    org.junit.jupiter.api.Assumptions.assumeTrue(RecordingLogs.active(), "runs with the recording SLF4J provider");
    RecordingLogs.clear();
  }

  private static Switchboard failover(int logContent) {
    Switchboard.Builder b = Switchboard.builder()
        .deployment("azure", MockProvider.create().otherwiseFail(ErrorKind.QUOTA_EXCEEDED))
        .deployment("bedrock", MockProvider.create().otherwiseReply("the completion text, which is fairly long"))
        .model(ModelAlias.builder("chat").target("azure", "gpt-4o").target("bedrock", "claude").build());
    if (logContent > 0) b.logContent(logContent);
    return b.build();
  }

  @Test
  void attemptsAtDebugFailoverAtWarnAndNoContentByDefault() {
    try (Switchboard sb = failover(0)) {
      sb.chat(ChatRequest.of("chat", "a private prompt"));
    }
    List<RecordingLogs.Line> lines = RecordingLogs.lines();
    assertThat(lines).anyMatch(l -> l.level() == Level.WARN && l.text().contains("failing over from azure")
        && l.text().contains("bedrock") && l.text().contains("QUOTA_EXCEEDED"));
    assertThat(lines).anyMatch(l -> l.level() == Level.DEBUG && l.text().contains("azure(mock:gpt-4o) failed")
        && l.text().contains("HTTP 429"));
    assertThat(lines).anyMatch(l -> l.level() == Level.DEBUG && l.text().contains("bedrock(mock:claude) succeeded"));
    assertThat(lines).noneMatch(l -> l.level() == Level.INFO && l.logger().startsWith("dev.switchboard"));
    assertThat(lines).noneMatch(l -> l.text().contains("a private prompt") || l.text().contains("completion text"));
  }

  @Test
  void contentIsLoggedTruncatedWhenTurnedOn() {
    try (Switchboard sb = failover(12)) {
      sb.chat(ChatRequest.of("chat", "a private prompt"));
    }
    dev.switchboard.testkit.Eventually.await("completion logged", java.time.Duration.ofSeconds(10),
        () -> RecordingLogs.lines().stream().anyMatch(l -> l.text().startsWith("completion from")));
    assertThat(RecordingLogs.lines()).anyMatch(l -> l.logger().equals("dev.switchboard.content")
        && l.text().contains("a private pr… (16 chars)"));
    assertThat(RecordingLogs.lines()).anyMatch(l -> l.logger().equals("dev.switchboard.content")
        && l.text().contains("the completi… (41 chars)"));
  }
}
