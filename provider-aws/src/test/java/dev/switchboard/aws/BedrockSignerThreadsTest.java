package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.CallerRuns;
import dev.switchboard.http.SignedRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where {@link BedrockSigner} resolves credentials that may block: on the lookup executor for an
 * asynchronous caller, on a blocking caller's own thread, and a failure as AUTHENTICATION.
 */
class BedrockSignerThreadsTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
  private final List<Runnable> queued = new CopyOnWriteArrayList<>();
  private final Executor lookups = queued::add;
  private final List<Thread> resolvedOn = new CopyOnWriteArrayList<>();
  private final AwsCredentialsProvider chain = () -> {
    resolvedOn.add(Thread.currentThread());
    return AwsBasicCredentials.create(SigV4Test.ACCESS, SigV4Test.SECRET);
  };

  private BedrockSigner signer(AwsCredentialsProvider credentials) {
    BedrockSettings settings = BedrockSettings.parse(Bedrock.deployment("d").region("us-east-1")
        .endpoint("https://bedrock-runtime.us-east-1.amazonaws.com")
        .staticCredentials(Secret.of(SigV4Test.ACCESS), Secret.of(SigV4Test.SECRET)).build(), false, n -> null);
    return new BedrockSigner(settings, credentials, clock, "d", lookups);
  }

  private static Request request() {
    return new Request.Builder().url("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse")
        .post(RequestBody.create(new byte[0], BedrockProvider.JSON)).build();
  }

  @Test
  void anAsynchronousCallerNeverResolvesOnItsOwnThread() throws Exception {
    CompletableFuture<SignedRequest> signed = signer(chain).sign(request(), new byte[0]);
    assertThat(signed).isNotDone();
    assertThat(resolvedOn).isEmpty();
    assertThat(queued).hasSize(1);
    queued.get(0).run();
    assertThat(signed.get().request().header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
    // The body's media type became a signed header.
    assertThat(signed.get().request().header("Authorization")).contains("SignedHeaders=content-type;host;");
  }

  @Test
  void aBlockingCallerResolvesOnItsOwnThread() {
    CompletableFuture<SignedRequest> signed = new CallerRuns().sending(() -> signer(chain).sign(request(), new byte[0]));
    assertThat(signed).isDone();
    assertThat(resolvedOn).containsExactly(Thread.currentThread());
    assertThat(queued).isEmpty();
  }

  @Test
  void aCredentialFailureIsAnAuthenticationErrorWithoutTheSecret() {
    AwsCredentialsProvider failing = () -> {
      throw new IllegalStateException("no credentials; tried " + SigV4Test.SECRET);
    };
    CompletableFuture<SignedRequest> signed = new CallerRuns().sending(() -> signer(failing).sign(request(), new byte[0]));
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(signed::get);
    assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(SwitchboardException.class);
    SwitchboardException e = (SwitchboardException) t.getCause();
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(e.getMessage()).doesNotContain(SigV4Test.SECRET);
  }
}
