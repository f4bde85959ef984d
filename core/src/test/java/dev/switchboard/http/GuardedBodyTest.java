package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ErrorKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The bounded body: the bytes read whatever the declared length says, the limit and the stop check. */
class GuardedBodyTest {
  private static final ErrorContext CTX = new ErrorContext("test", "dep");
  private static final byte[] BODY = "{\"id\":\"chatcmpl-1\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);

  private static GuardedBody body(byte[] bytes, long declared, long max) {
    return new GuardedBody(new ByteArrayInputStream(bytes), declared, max, () -> null, CTX);
  }

  @Test
  void readAllGivesTheBytesReadWhateverTheDeclaredLength() throws Exception {
    for (long declared : new long[] {-1, BODY.length, BODY.length - 5, BODY.length + 5, 0, 1}) {
      assertThat(body(BODY, declared, 1024).readAll()).as("declared %d", declared).isEqualTo(BODY);
    }
  }

  @Test
  void theLimitHoldsWhenTheBodyIsLongerThanItDeclares() {
    GuardedBody.Failure f = catchThrowableOfType(GuardedBody.Failure.class, () -> body(BODY, 4, 10).readAll());
    assertThat(f.error().kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(f.error().detail()).contains("larger than the limit of 10 bytes");
  }

  @Test
  void drainAtTheEndAndWithARest() throws Exception {
    GuardedBody atEnd = body(BODY, BODY.length, 1024);
    atEnd.readAll();
    atEnd.drain();
    assertThat(atEnd.bytesRead()).isEqualTo(BODY.length);
    GuardedBody withRest = body(BODY, BODY.length, 1024);
    assertThat(withRest.read(new byte[3], 0, 3)).isEqualTo(3);
    withRest.drain();
    assertThat(withRest.bytesRead()).isEqualTo(BODY.length);
  }

  @Test
  void theStopCheckEndsAReadAllAndADrain() {
    AtomicBoolean stopped = new AtomicBoolean(true);
    GuardedBody b = new GuardedBody(new ByteArrayInputStream(BODY), BODY.length, 1024,
        () -> stopped.get() ? CTX.error(ErrorKind.TIMEOUT, "deadline passed").build() : null, CTX);
    assertThat(catchThrowableOfType(GuardedBody.Failure.class, b::readAll).error().kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(catchThrowableOfType(GuardedBody.Failure.class, b::drain).error().kind()).isEqualTo(ErrorKind.TIMEOUT);
  }
}
