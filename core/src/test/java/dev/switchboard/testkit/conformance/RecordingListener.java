package dev.switchboard.testkit.conformance;

import dev.switchboard.ChatEvent;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Records a provider stream and checks the listener contract (one terminal call, nothing after it). */
public final class RecordingListener implements ProviderStreamListener {
  public final List<ChatEvent> events = new CopyOnWriteArrayList<>();
  public final CompletableFuture<ResponseMetadata> done = new CompletableFuture<>();
  private final AtomicInteger terminals = new AtomicInteger();
  private volatile String violation;

  @Override
  public void onEvent(ChatEvent event) {
    if (done.isDone()) violation = "onEvent after the terminal call: " + event;
    events.add(event);
  }

  @Override
  public void onComplete(ResponseMetadata metadata) {
    if (terminals.incrementAndGet() > 1) violation = "second terminal call (onComplete)";
    done.complete(metadata);
  }

  @Override
  public void onError(SwitchboardException error) {
    if (terminals.incrementAndGet() > 1) violation = "second terminal call (onError: " + error + ")";
    done.completeExceptionally(error);
  }

  /** Waits for the end of the stream; returns the metadata or throws the stream's error. */
  public ResponseMetadata await(Duration bound) {
    try {
      return done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (SwitchboardException) e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("stream did not end within " + bound, e);
    } finally {
      if (violation != null) throw new AssertionError("listener contract violated: " + violation);
    }
  }

  /** The text deltas joined. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ChatEvent e : events) {
      if (e instanceof ChatEvent.TextDelta d) sb.append(d.text());
    }
    return sb.toString();
  }
}
