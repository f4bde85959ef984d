package dev.switchboard.aws.testing;

import dev.switchboard.ChatEvent;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Records a stream's events and its one ending; fails loudly if the provider ends it twice. */
public final class RecordingListener implements ProviderStreamListener {
  public final List<ChatEvent> events = new CopyOnWriteArrayList<>();
  public final CompletableFuture<ResponseMetadata> done = new CompletableFuture<>();
  public final AtomicInteger endings = new AtomicInteger();

  @Override
  public void onEvent(ChatEvent event) {
    if (done.isDone()) throw new AssertionError("event after the end of the stream: " + event);
    events.add(event);
  }

  @Override
  public void onComplete(ResponseMetadata metadata) {
    endings.incrementAndGet();
    done.complete(metadata);
  }

  @Override
  public void onError(SwitchboardException error) {
    endings.incrementAndGet();
    done.completeExceptionally(error);
  }

  /** The metadata of a completed stream (waits at most 10 s, which only a hung test reaches). */
  public ResponseMetadata awaitComplete() {
    try {
      ResponseMetadata m = done.get(10, TimeUnit.SECONDS);
      if (endings.get() != 1) throw new AssertionError("stream ended " + endings.get() + " times");
      return m;
    } catch (ExecutionException e) {
      throw new AssertionError("stream failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("stream did not end", e);
    }
  }

  /** The error of a failed stream. */
  public SwitchboardException awaitError() {
    try {
      ResponseMetadata m = done.get(10, TimeUnit.SECONDS);
      throw new AssertionError("stream completed instead of failing: " + m + " events " + events);
    } catch (ExecutionException e) {
      if (endings.get() != 1) throw new AssertionError("stream ended " + endings.get() + " times");
      if (e.getCause() instanceof SwitchboardException s) return s;
      throw new AssertionError("not a SwitchboardException", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("stream did not end", e);
    }
  }
}
