package dev.switchboard.testing;

import dev.switchboard.ErrorKind;
import dev.switchboard.Scheduler;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.ResponseMetadata;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** Plays one stream script for a {@link MockProvider}: steps on a worker thread, pauses on the scheduler. */
final class MockStreamRun {
  private final ProviderCall call;
  private final ProviderStreamListener listener;
  private final MockProvider.Step step;
  private final Scheduler scheduler;
  private final Executor workers;
  private final AtomicInteger cancellations;
  private volatile boolean cancelled;
  volatile Scheduler.Cancellable pending;

  MockStreamRun(ProviderCall call, ProviderStreamListener listener, MockProvider.Step step, Scheduler scheduler,
      Executor workers, AtomicInteger cancellations) {
    this.call = call;
    this.listener = listener;
    this.step = step;
    this.scheduler = scheduler;
    this.workers = workers;
    this.cancellations = cancellations;
  }

  void cancel() {
    if (cancelled) return;
    cancelled = true;
    cancellations.incrementAndGet();
    Scheduler.Cancellable p = pending;
    if (p != null) p.cancel();
  }

  void start() {
    switch (step.kind()) {
      case FAIL -> finishWith(MockProvider.stamp(step.error(), call));
      case REPLY -> finishWithReply();
      case STREAM -> play(0);
      case HANG -> { } // stays open until cancelled
      case EMBED -> finishWith(MockProvider.stamp(MockProvider.error(ErrorKind.INVALID_REQUEST), call));
    }
  }

  private void finishWithReply() {
    var r = step.reply().servedBy(call.target()).build();
    StreamScript.Builder b = StreamScript.builder();
    if (!r.text().isEmpty()) b.text(r.text());
    for (int i = 0; i < r.toolCalls().size(); i++) {
      var tc = r.toolCalls().get(i);
      b.toolCall(i, tc.id(), tc.name(), tc.arguments());
    }
    b.usage(r.usage().inputTokens(), r.usage().outputTokens()).finish(r.finishReason());
    playScript(b.build(), 0);
  }

  private void play(int from) {
    playScript(step.script(), from);
  }

  private void playScript(StreamScript script, int from) {
    for (int i = from; i < script.steps.size(); i++) {
      if (cancelled) return;
      StreamScript.Step s = script.steps.get(i);
      if (s instanceof StreamScript.Pause p) {
        final int next = i + 1;
        pending = scheduler.schedule(p.delay(), () -> workers.execute(() -> playScript(script, next)));
        return;
      }
      listener.onEvent(((StreamScript.Emit) s).event());
    }
    if (cancelled) return;
    if (script.failure.isPresent()) {
      finishWith(MockProvider.stamp(script.failure.get(), call));
    } else if (!script.hang) {
      listener.onComplete(new ResponseMetadata(call.target().model(), java.util.Optional.empty(),
          java.util.Optional.empty(), java.util.Optional.empty(), java.util.Map.of(), java.util.List.of()));
    }
  }

  private void finishWith(SwitchboardException e) {
    if (!cancelled) listener.onError(e);
  }
}
