package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22 item 10: {@code {file: ...}} secrets are read only from regular files, and only a few KiB. */
class ConfigSecretFileTest {
  @TempDir Path dir;

  private static ConfigException load(Path secretFile) {
    String yaml = """
        deployments:
          m: {type: mock, api-key: {file: "%s"}}
        models:
          chat: {targets: [{deployment: m, model: x}]}
        """.formatted(secretFile);
    try {
      ConfigLoader.withEnvironment(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).build().close();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void aSparseMultiGigabyteFileIsRefusedWithoutReadingIt() throws Exception {
    Path big = dir.resolve("big.key");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(3L * 1024 * 1024 * 1024);
    }
    ConfigException e = load(big);
    assertThat(e.problems()).containsExactly(
        "deployments.m.api-key: secret file " + big + " is larger than 16 KiB; a secret file holds one value");
  }

  @Test
  void aFileJustOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws Exception {
    Path over = dir.resolve("over.key");
    Files.writeString(over, "k".repeat(ConfigLoader.MAX_SECRET_FILE_BYTES + 1));
    assertThat(load(over).problems()).containsExactly(
        "deployments.m.api-key: secret file " + over + " is larger than 16 KiB; a secret file holds one value");
    Path atLimit = dir.resolve("limit.key");
    Files.writeString(atLimit, "k".repeat(ConfigLoader.MAX_SECRET_FILE_BYTES));
    // Read, then refused by the mock provider (which takes no secrets): the file itself was fine.
    assertThat(load(atLimit).problems()).noneMatch(p -> p.contains("secret file"));
  }

  @Test
  void aDeviceIsNeverOpened() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "/dev/zero exists on this machine");
    ConfigException e = load(zero);
    assertThat(e.problems()).containsExactly("deployments.m.api-key: secret file /dev/zero is not a regular file"
        + " (a device, FIFO or directory is never read)");
  }

  @Test
  void aFifoWithNoWriterDoesNotBlockStartUp() throws Exception {
    Path fifo = dir.resolve("fifo.key");
    boolean made;
    try {
      Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
      made = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      made = false;
    }
    assumeTrue(made && Files.exists(fifo), "mkfifo is available on this machine");
    // Before the fix the read blocked forever; the timeout only turns that hang into a failure.
    ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> load(fifo));
    assertThat(e.problems()).containsExactly("deployments.m.api-key: secret file " + fifo
        + " is not a regular file (a device, FIFO or directory is never read)");
  }

  @Test
  void aDirectoryAndAMissingFileAreNamedAndTheContentNeverIs() throws Exception {
    assertThat(load(dir).problems()).containsExactly("deployments.m.api-key: secret file " + dir
        + " is not a regular file (a device, FIFO or directory is never read)");
    Path missing = dir.resolve("missing.key");
    assertThat(load(missing).problems()).containsExactly("deployments.m.api-key: secret file " + missing + " does not exist");
    Path secret = dir.resolve("planted.key");
    Files.writeString(secret, "sk-planted-secret-value-0123456789\n".repeat(1000));
    ConfigException e = load(secret);
    assertThat(e.getMessage()).doesNotContain("sk-planted");
  }
}
