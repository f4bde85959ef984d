package dev.switchboard.redis;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, without persistence,
 * started and killed by the tests. Absent binary: the tests skip with a message, except with
 * {@code CI=true}, where {@code .ci/run} installs it and its absence is a failure.
 */
final class RedisServer implements AutoCloseable {
  private final int port;
  private Process process;

  private RedisServer(int port) {
    this.port = port;
  }

  static RedisServer start() throws IOException {
    String binary = binary();
    if (binary == null) {
      String message = "redis-server not found on PATH (Debian: apt-get install redis-server); Redis tests skipped";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException("CI=true but " + message);
      Assumptions.abort(message);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RedisServer server = new RedisServer(port);
    server.launch();
    return server;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** Kills the server (SIGKILL, by PID): no goodbye to the clients, no saved state. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts it again on the same port, empty. */
  void restart() throws IOException {
    launch();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) kill();
  }

  private void launch() throws IOException {
    process = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--daemonize", "no")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) { // wait for the port to accept, bounded
      if (!process.isAlive()) throw new IOException("redis-server exited with " + process.exitValue());
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IOException("redis-server did not accept connections on port " + port + " within 20 s");
  }

  private static String binary() {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, "redis-server");
        if (f.canExecute()) return f.getPath();
      }
    }
    return null;
  }
}
