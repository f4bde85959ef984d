package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Building a Switchboard warms every provider off the building thread; one provider's failure does not stop the rest. */
class WarmUpTest {

  @Test
  void buildWarmsEveryProviderInTheBackgroundEvenAfterOneThrows() throws Exception {
    CountDownLatch warmed = new CountDownLatch(1);
    AtomicReference<Thread> warmedOn = new AtomicReference<>();
    ChatProvider throwing = new Stub() {
      @Override
      public void warmUp() {
        throw new IllegalStateException("broken warm-up");
      }
    };
    ChatProvider counting = new Stub() {
      @Override
      public void warmUp() {
        warmedOn.set(Thread.currentThread());
        warmed.countDown();
      }
    };
    try (Switchboard sb = Switchboard.builder()
        .deployment("a", throwing)
        .deployment("b", counting)
        .model(ModelAlias.builder("m").target("a", "x").target("b", "x").build())
        .build()) {
      // Waits for an event (the warm-up ran), not for time to pass.
      assertThat(warmed.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(warmedOn.get()).isNotSameAs(Thread.currentThread());
    }
  }

  @Test
  void runWarmsProvidersInOrderAndSurvivesAFailure() {
    StringBuilder order = new StringBuilder();
    WarmUp.run(List.of(new Stub() {
      @Override
      public void warmUp() {
        order.append('1');
        throw new IllegalStateException("broken");
      }
    }, new Stub() {
      @Override
      public void warmUp() {
        order.append('2');
      }
    }));
    assertThat(order).hasToString("12");
  }

  private abstract static class Stub implements ChatProvider {
    @Override
    public String type() {
      return "stub";
    }

    @Override
    public Capabilities capabilities() {
      return Capabilities.ALL;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ProviderCall call) {
      return new CompletableFuture<>();
    }

    @Override
    public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
      return () -> { };
    }
  }
}
