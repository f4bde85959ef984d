package dev.switchboard.redis;

import dev.switchboard.Deployment;
import dev.switchboard.ChatRequest;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.routing.TargetLimits;
import dev.switchboard.testing.MockProvider;

/**
 * A second application instance in its own JVM (started by {@link TwoJvmsTest}): the same two
 * deployments and limit, the same Redis. Makes {@code calls} calls and prints how many the primary
 * answered, as {@code primary=<n>}.
 */
public final class OtherJvmInstance {
  private OtherJvmInstance() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String namespace = args[1];
    int limit = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    MockProvider primary = MockProvider.create().otherwiseReply("from the primary");
    try (RedisSharedState state = RedisSharedState.builder().uri(uri).namespace(namespace).build();
        Switchboard sb = instance(primary, MockProvider.create().otherwiseReply("from the fallback"), limit, state)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!state.reachable() && System.nanoTime() < deadline) Thread.onSpinWait();
      for (int n = 0; n < calls; n++) {
        sb.chat(ChatRequest.of("chat", "hi"));
        while (!state.settled() && System.nanoTime() < deadline) Thread.onSpinWait();
      }
      System.out.println("primary=" + primary.callCount());
    }
  }

  static Switchboard instance(MockProvider primary, MockProvider fallback, int limit, RedisSharedState state) {
    return Switchboard.builder()
        .deployment(Deployment.builder("primary", "mock").limits(TargetLimits.requestsPerMinute(limit)).build(), primary)
        .deployment("fallback", fallback)
        .model(ModelAlias.builder("chat").target("primary", "m").target("fallback", "m").build())
        .sharedState(state)
        .build();
  }
}
