package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The one unwrap of a failed future's cause, shared by every provider transport. */
class HttpCallsFailureTest {
  private static final ErrorContext CTX = new ErrorContext("openai", "dep");

  @Test
  void wrappersAreRemovedAtAnyDepth() {
    IOException root = new IOException("reset");
    assertThat(HttpCalls.cause(new CompletionException(new ExecutionException(root)))).isSameAs(root);
    assertThat(HttpCalls.cause(root)).isSameAs(root);
  }

  @Test
  void aSwitchboardErrorKeepsItsKindAndGetsTheProviderOnlyWhenItNamesNone() {
    SwitchboardException bare = SwitchboardException.of(ErrorKind.AUTHENTICATION, "no token");
    SwitchboardException stamped = HttpCalls.failure(new CompletionException(bare), CTX);
    assertThat(stamped.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(stamped.provider()).contains("openai");
    assertThat(stamped.target()).contains("dep");
    SwitchboardException named = new ErrorContext("bedrock", "other").error(ErrorKind.RATE_LIMITED, "slow down").build();
    assertThat(HttpCalls.failure(named, CTX)).isSameAs(named);
  }

  @Test
  void aCancellationIsCancelledAndAnythingElseIsNetwork() {
    assertThat(HttpCalls.failure(new CancellationException(), CTX).kind()).isEqualTo(ErrorKind.CANCELLED);
    SwitchboardException e = HttpCalls.failure(new CompletionException(new IllegalStateException("boom")), CTX);
    assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(e.detail()).contains("IllegalStateException");
    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
  }
}
