package dev.switchboard.routing;

import dev.switchboard.Attempt;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Target;
import dev.switchboard.resilience.RetryBudgetPolicy;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Test support for routing and resilience: a {@link VirtualTime} shared by the switchboard and
 * the mocks, a seeded random, and {@link #await} which drives virtual time from one pending
 * timer to the next until a call is done. Mock chat calls complete on the thread advancing time,
 * so non-streamed scenarios are fully deterministic.
 */
public final class Harness {
  public final VirtualTime time = new VirtualTime();

  /** A builder on virtual time with a seeded random and an unlimited retry budget (tests of the budget set their own). */
  public Switchboard.Builder builder() {
    return Switchboard.builder().time(time, time).random(new Random(42)).retryBudget(RetryBudgetPolicy.UNLIMITED);
  }

  public MockProvider mock() {
    return MockProvider.create(time);
  }

  /** An alias whose targets are the given deployments, in priority order, each serving model "m-{deployment}". */
  public static ModelAlias alias(String name, String... deployments) {
    ModelAlias.Builder b = ModelAlias.builder(name);
    for (String d : deployments) b.target(d, "m-" + d);
    return b.build();
  }

  /** {@link #alias(String, String...)} with its own routing policy. */
  public static ModelAlias alias(String name, RoutingPolicy routing, String... deployments) {
    return alias(name, deployments).toBuilder().routing(routing).build();
  }

  public static Target target(String deployment) {
    return Target.of(deployment, "m-" + deployment);
  }

  public static ChatRequest request(String alias) {
    return ChatRequest.of(alias, "hello");
  }

  public Instant now() {
    return time.instant();
  }

  /** Moves virtual time to each next pending timer until {@code future} is done. */
  public <T> T await(CompletableFuture<T> future) {
    drive(future::isDone);
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SwitchboardException se) throw se;
      throw e;
    }
  }

  /** The exception a call ended with (fails if it succeeded). */
  public SwitchboardException failure(CompletableFuture<?> future) {
    drive(future::isDone);
    try {
      future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SwitchboardException se) return se;
      throw new AssertionError("call failed with a non-Switchboard exception", e.getCause());
    }
    throw new AssertionError("call succeeded but a failure was expected");
  }

  /** Drives a call to its end, whatever the outcome. */
  public void failureOrSuccess(CompletableFuture<?> future) {
    drive(future::isDone);
  }

  /** Advances virtual time timer by timer until {@code done}; fails if nothing is pending and it is not done. */
  public void drive(BooleanSupplier done) {
    for (int i = 0; !done.getAsBoolean(); i++) {
      if (i > 1_000_000) throw new AssertionError("call did not finish after a million timer steps");
      List<Instant> due = time.pendingDueTimes();
      if (due.isEmpty()) throw new AssertionError("call is stuck: not done and no timer pending");
      Duration step = Duration.between(time.instant(), due.get(0));
      time.advance(step.isNegative() ? Duration.ZERO : step);
    }
  }

  /** Waits (bounded, in real time) for work on other threads, e.g. mock stream workers. */
  public static void eventually(BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("condition not met within 10 s");
      Thread.onSpinWait();
    }
  }

  /** Waits (bounded, in real time) for a future completed on another thread. */
  public static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SwitchboardException se) throw se;
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("future not done within 10 s", e);
    }
  }

  /** The deployments of a response's attempts with their outcomes, e.g. "a:FAILED", "b:SUCCEEDED". */
  public static List<String> outcomes(List<Attempt> attempts) {
    return attempts.stream().map(a -> a.target().deployment() + ":" + a.outcome()).toList();
  }

  public static List<String> outcomes(ChatResponse r) {
    return outcomes(r.attempts());
  }
}
