package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link SwitchboardException#toBuilder()} copies every field and keeps the class; {@code builder(from)} restates as the base class. */
class ExceptionCopyTest {
  private static final TargetRef T = new TargetRef("azure-east", "azure-openai", "gpt4o-prod");

  private static SwitchboardException full() {
    return SwitchboardException.builder(ErrorKind.RATE_LIMITED, "slow down").provider("azure-openai").target("azure-east")
        .httpStatus(429).providerCode("429").providerMessage("Requests exceeded").providerType("rate_limit")
        .providerInnerCode("inner").requestId("req-1").retryAfter(Duration.ofSeconds(7))
        .rateLimit(new RateLimitInfo(OptionalLong.of(100), OptionalLong.of(3), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty()))
        .attempts(List.of(Attempt.skipped(T, java.time.Instant.EPOCH, "cooling down")))
        .cause(new IllegalStateException("wire")).build();
  }

  private static void assertSameFields(SwitchboardException copy, SwitchboardException e) {
    assertThat(copy.kind()).isEqualTo(e.kind());
    assertThat(copy.detail()).isEqualTo(e.detail());
    assertThat(copy.provider()).isEqualTo(e.provider());
    assertThat(copy.target()).isEqualTo(e.target());
    assertThat(copy.httpStatus()).isEqualTo(e.httpStatus());
    assertThat(copy.providerCode()).isEqualTo(e.providerCode());
    assertThat(copy.providerMessage()).isEqualTo(e.providerMessage());
    assertThat(copy.providerType()).isEqualTo(e.providerType());
    assertThat(copy.providerInnerCode()).isEqualTo(e.providerInnerCode());
    assertThat(copy.requestId()).isEqualTo(e.requestId());
    assertThat(copy.retryAfter()).isEqualTo(e.retryAfter());
    assertThat(copy.rateLimit()).isEqualTo(e.rateLimit());
    assertThat(copy.attempts()).isEqualTo(e.attempts());
  }

  @Test
  void toBuilderCopiesEveryField() {
    SwitchboardException e = full();
    SwitchboardException copy = e.toBuilder().build();
    assertSameFields(copy, e);
    assertThat(copy.getCause()).isSameAs(e.getCause());
    assertThat(copy.getMessage()).isEqualTo(e.getMessage());
  }

  @Test
  void kindAndMessageCanBeReplacedOnACopy() {
    SwitchboardException e = full();
    SwitchboardException copy = e.toBuilder().kind(ErrorKind.QUOTA_EXCEEDED).message("quota gone").build();
    assertThat(copy.kind()).isEqualTo(ErrorKind.QUOTA_EXCEEDED);
    assertThat(copy.detail()).isEqualTo("quota gone");
    assertThat(copy.requestId()).contains("req-1");
    assertThat(copy.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void aStreamInterruptedCopyKeepsItsClassAndPartialOutput() {
    StreamInterruptedException e = StreamInterruptedException.of(full(), new PartialOutput("Hel", List.of(), Optional.empty()));
    SwitchboardException copy = e.toBuilder().target("bedrock-west").build();
    assertThat(copy).isInstanceOfSatisfying(StreamInterruptedException.class, s -> assertThat(s.partial().text()).isEqualTo("Hel"));
    assertThat(copy.target()).contains("bedrock-west");
    assertThat(copy.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(copy.getCause()).isSameAs(e.getCause());
  }

  @Test
  void builderFromRestatesAsThePlainClass() {
    StreamInterruptedException e = StreamInterruptedException.of(full(), new PartialOutput("Hel", List.of(), Optional.empty()));
    SwitchboardException restated = SwitchboardException.builder(e).build();
    assertThat(restated).isExactlyInstanceOf(SwitchboardException.class);
    assertSameFields(restated, e);
  }
}
