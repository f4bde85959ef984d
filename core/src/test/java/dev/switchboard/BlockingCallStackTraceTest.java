package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.testing.MockProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A blocking call throws on the caller's thread, with the caller's frames, and a long error text
 * appears once in the printed trace (issue 17 item 3). The mock answers after a 1 ms latency, so
 * the call ends on the mock's scheduler thread, as a real one ends on OkHttp's.
 */
class BlockingCallStackTraceTest {
  /** As long as the AWS SDK's "Unable to load credentials from any of the providers in the chain ..." text. */
  private static final String CHAIN_TEXT = "could not resolve AWS credentials (auth=default): Unable to load credentials "
      + "from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=["
      + "SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(), "
      + "ProfileCredentialsProvider(profileName=default, profileFile=ProfileFile(sections=[])), ContainerCredentialsProvider(), "
      + "InstanceProfileCredentialsProvider()]) : [SystemPropertyCredentialsProvider(): Unable to load credentials from system "
      + "settings. Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or system property "
      + "(aws.accessKeyId)., EnvironmentVariableCredentialsProvider(): Unable to load credentials from system settings. Access "
      + "key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId)., "
      + "WebIdentityTokenCredentialsProvider(): Either the environment variable AWS_WEB_IDENTITY_TOKEN_FILE or the "
      + "javaproperty aws.webIdentityTokenFile must be set., ProfileCredentialsProvider(profileName=default): Profile file "
      + "contained no credentials for profile 'default'., ContainerCredentialsProvider(): Cannot fetch credentials from "
      + "container - neither AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI environment "
      + "variables are set., InstanceProfileCredentialsProvider(): Failed to load credentials from IMDS.]";

  private static SwitchboardException failure(String detail) {
    return SwitchboardException.builder(ErrorKind.AUTHENTICATION, detail).provider("bedrock").httpStatus(0).build();
  }

  private static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static int occurrences(String text, String of) {
    int n = 0;
    for (int i = text.indexOf(of); i >= 0; i = text.indexOf(of, i + 1)) n++;
    return n;
  }

  private static Switchboard oneTarget(MockProvider mock) {
    return Switchboard.builder().deployment("bedrock-west", mock)
        .model(ModelAlias.builder("chat").target("bedrock-west", "m").build()).build();
  }

  @Test
  void aFailedBlockingChatThrowsWithTheCallersFramesAndTheSameFields() throws Exception {
    MockProvider mock = MockProvider.create().latency(Duration.ofMillis(1)).thenFail(failure(CHAIN_TEXT));
    try (Switchboard sb = oneTarget(mock)) {
      SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> sb.chat(ChatRequest.of("chat", "hi")));

      assertThat(Arrays.stream(e.getStackTrace())).as("the caller's frame in %s", Arrays.toString(e.getStackTrace()))
          .anyMatch(f -> f.getClassName().equals(BlockingCallStackTraceTest.class.getName())
              && f.getMethodName().equals("aFailedBlockingChatThrowsWithTheCallersFramesAndTheSameFields"));
      assertThat(e.getClass()).isEqualTo(SwitchboardException.class);
      assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
      assertThat(e.detail()).isEqualTo(CHAIN_TEXT);
      assertThat(e.provider()).contains("bedrock");
      assertThat(e.target()).contains("bedrock-west");
      assertThat(e.attempts()).singleElement().satisfies(a -> {
        assertThat(a.errorKind()).contains(ErrorKind.AUTHENTICATION);
        assertThat(a.error().orElseThrow().detail()).isEqualTo(CHAIN_TEXT); // the attempt keeps its whole detail
      });
      // The original, made on the mock's scheduler thread, is the cause: same class, fields and frames.
      assertThat(e.getCause()).isInstanceOfSatisfying(SwitchboardException.class, original -> {
        assertThat(original.kind()).isEqualTo(e.kind());
        assertThat(original.detail()).isEqualTo(e.detail());
        assertThat(original.attempts()).isEqualTo(e.attempts());
        assertThat(Arrays.stream(original.getStackTrace()))
            .noneMatch(f -> f.getClassName().equals(BlockingCallStackTraceTest.class.getName()));
      });

      String trace = printed(e);
      assertThat(occurrences(trace, CHAIN_TEXT)).as("the long text in\n%s", trace).isEqualTo(1);
      assertThat(occurrences(e.getMessage(), CHAIN_TEXT)).isEqualTo(1);
    }
  }

  @Test
  void withTwoTargetsEachDetailIsPrintedOnce() {
    MockProvider first = MockProvider.create().latency(Duration.ofMillis(1)).thenFail(failure("the first target's own reason"));
    MockProvider second = MockProvider.create().latency(Duration.ofMillis(1)).thenFail(failure(CHAIN_TEXT));
    try (Switchboard sb = Switchboard.builder().deployment("azure-east", first).deployment("bedrock-west", second)
        .model(ModelAlias.builder("chat").target("azure-east", "m").target("bedrock-west", "m").build()).build()) {
      SwitchboardException e = catchThrowableOfType(SwitchboardException.class, () -> sb.chat(ChatRequest.of("chat", "hi")));

      assertThat(e.attempts()).hasSize(2);
      String trace = printed(e);
      assertThat(occurrences(trace, CHAIN_TEXT)).as("the long text in\n%s", trace).isEqualTo(1);
      assertThat(occurrences(trace, "the first target's own reason")).as(trace).isEqualTo(1);
      assertThat(e.getMessage()).contains("all targets of model alias 'chat' failed; last: " + CHAIN_TEXT)
          .contains("azure-east(mock:m) FAILED").contains("bedrock-west(mock:m) FAILED");
    }
  }

  /** A subclass that does not override toBuilder(): it keeps its type, and gets the caller's frames as suppressed. */
  private static final class CustomException extends SwitchboardException {
    CustomException() {
      super(SwitchboardException.builder(ErrorKind.PERMISSION, "custom provider refused").provider("custom"));
    }
  }

  @Test
  void anExceptionSubclassThatCannotCopyItselfKeepsItsType() {
    MockProvider mock = MockProvider.create().latency(Duration.ofMillis(1)).thenFail(failure("x"));
    try (Switchboard sb = oneTarget(mock)) {
      CustomException custom = new CustomException();
      SwitchboardException rethrown = Switchboard.rethrownHere(custom);
      assertThat(rethrown).isSameAs(custom);
      assertThat(custom.getSuppressed()).singleElement().satisfies(s -> assertThat(Arrays.stream(s.getStackTrace()))
          .anyMatch(f -> f.getMethodName().equals("anExceptionSubclassThatCannotCopyItselfKeepsItsType")));

      StreamInterruptedException broken = StreamInterruptedException.of(failure(CHAIN_TEXT),
          new PartialOutput("Hel", java.util.List.of(), java.util.Optional.empty()));
      SwitchboardException copy = Switchboard.rethrownHere(broken);
      assertThat(copy).isInstanceOfSatisfying(StreamInterruptedException.class, s -> {
        assertThat(s.partial().text()).isEqualTo("Hel");
        assertThat(s.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(s.getCause()).isInstanceOf(StreamInterruptedException.class);
      });
      assertThat(occurrences(printed(copy), CHAIN_TEXT)).isEqualTo(1);
    }
  }
}
