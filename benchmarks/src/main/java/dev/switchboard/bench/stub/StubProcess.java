package dev.switchboard.bench.stub;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link StubServer} in its own JVM, started from the benchmark's class path. Keeping the stub
 * out of the measured JVM means that process CPU time ({@code -prof
 * dev.switchboard.bench.prof.CpuTimeProfiler}) and allocation ({@code -prof gc}) count the
 * client only.
 */
public final class StubProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private StubProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a stub; {@code paceMillis} 0 sends each stream in one write. */
  public static StubProcess start(long paceMillis) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx512m", "-Xss256k", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), StubServer.class.getName(), Long.toString(paceMillis)));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new IOException("benchmark stub did not start: " + line);
    }
    return new StubProcess(p, Integer.parseInt(line.substring(5).trim()));
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }
}
