package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** How a missing fixtures folder is reported: a skip for a user, a failure on CI, at test time only. */
class FixturesTest {
  @TempDir Path dir;

  @Test
  void anAbsentFolderSkipsWithTheLocationAndTheProperty() {
    String absent = dir.resolve("absent").toString();
    assertThatThrownBy(() -> Fixtures.root(absent, null)).isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(absent).hasMessageContaining("-Dswitchboard.fixtures=");
    assertThatThrownBy(() -> Fixtures.root(null, "false")).isInstanceOf(TestAbortedException.class);
  }

  @Test
  void anEmptyFolderCountsAsAbsent() {
    assertThatThrownBy(() -> Fixtures.root(dir.toString(), null)).isInstanceOf(TestAbortedException.class);
  }

  @Test
  void onCiAMissingFolderFailsInsteadOfSkipping() {
    assertThatThrownBy(() -> Fixtures.root(dir.resolve("absent").toString(), "true"))
        .isInstanceOf(IllegalStateException.class).isNotInstanceOf(TestAbortedException.class)
        .hasMessageStartingWith("CI=true but shared fixtures not found");
  }

  @Test
  void aFolderWithContentIsTheRoot() throws IOException {
    Files.writeString(dir.resolve("x.txt"), "x");
    assertThat(Fixtures.root(dir.toString(), "true")).isEqualTo(dir.normalize());
  }

  @Test
  void lazyLoadsNothingUntilUsedAndRetriesAfterASkip() {
    AtomicInteger loads = new AtomicInteger();
    Supplier<String> data = Fixtures.lazy(() -> {
      if (loads.incrementAndGet() == 1) throw new TestAbortedException("absent the first time");
      return "loaded";
    });
    assertThat(loads).hasValue(0);
    assertThatThrownBy(data::get).isInstanceOf(TestAbortedException.class);
    assertThat(data.get()).isEqualTo("loaded");
    assertThat(data.get()).isEqualTo("loaded");
    assertThat(loads).hasValue(2);
  }
}
