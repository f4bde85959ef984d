package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link Switchboard.Builder#time}: one setting gives the engine its clock and its scheduler. */
class BuilderTimeTest {
  @Test
  void deadlinesRunOnTheGivenSchedulerAndAttemptsAreTimedByTheGivenClock() {
    VirtualTime time = new VirtualTime();
    MockProvider slow = MockProvider.create(time).latency(Duration.ofSeconds(10)).otherwiseReply("late");
    try (Switchboard sb = Switchboard.builder().time(time, time).deployment("a", slow)
        .model(ModelAlias.builder("chat").target("a", "m").build()).build()) {
      CompletableFuture<ChatResponse> call = sb.chatAsync(ChatRequest.builder("chat").user("hi").timeout(Duration.ofSeconds(3)).build());
      time.advance(Duration.ofSeconds(2));
      assertThat(call).isNotDone();
      time.advance(Duration.ofSeconds(1));
      assertThat(call).isCompletedExceptionally();
      SwitchboardException e = (SwitchboardException) call.handle((r, t) -> t instanceof java.util.concurrent.CompletionException ? t.getCause() : t).join();
      assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.duration()).isEqualTo(Duration.ofSeconds(3)));
    }
  }

  @Test
  void aClockThatIsAlsoASchedulerMustBeGivenAsBoth() {
    VirtualTime time = new VirtualTime();
    assertThatThrownBy(() -> Switchboard.builder().time(time)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pass it as both");
  }
}
