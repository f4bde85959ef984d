package dev.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of core: an application without it on its classpath, which
 * never passes a registry, must build a switchboard, chat and stream. The test runs that
 * application in a class loader that defines core's classes itself and refuses every
 * {@code io.micrometer} class, as a classpath without the two jars would, and records every
 * Micrometer class the JVM asked for (loading, linking or verification).
 */
class MicrometerAbsentTest {

  @Test
  void coreBuildsChatsAndStreamsWithoutMicrometerAndNeverAsksForIt() throws Exception {
    HidingMicrometer loader = new HidingMicrometer(MicrometerAbsentTest.class.getClassLoader());
    @SuppressWarnings("unchecked")
    Supplier<String> app = (Supplier<String>) loader.loadClass(NoMetricsApp.class.getName())
        .getDeclaredConstructor().newInstance();

    assertThat(app.get()).isEqualTo("pong | pong");
    assertThat(loader.refused).isEmpty();
    // Really the hidden copies: Switchboard as the app saw it came from the hiding loader.
    assertThat(loader.loadClass(Switchboard.class.getName()).getClassLoader()).isSameAs(loader);
  }

  @Test
  void theLoaderReallyHidesMicrometer() throws Exception {
    HidingMicrometer loader = new HidingMicrometer(MicrometerAbsentTest.class.getClassLoader());
    assertThatThrownBy(() -> Class.forName(MicrometerMetrics.class.getName(), true, loader).getDeclaredConstructors())
        .isInstanceOf(NoClassDefFoundError.class)
        .hasMessageContaining("io/micrometer");
    assertThat(loader.refused).isNotEmpty().allMatch(n -> n.startsWith("io.micrometer."));
  }

  /** What an application with no metrics does; loaded by {@link HidingMicrometer}. */
  public static final class NoMetricsApp implements Supplier<String> {
    private static final String CONFIG = """
        deployments: {m: {type: mock, reply: pong}}
        models: {chat: {targets: [{deployment: m, model: x}]}}
        """;

    @Override
    public String get() {
      try (Switchboard sb = ConfigLoader.create().load(new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)))
          .build()) {
        String answer = sb.chat(ChatRequest.builder("chat").user("ping").build()).text();
        StringBuilder streamed = new StringBuilder();
        try (ChatStream stream = sb.stream(ChatRequest.builder("chat").user("ping").build())) {
          for (ChatEvent e : stream) {
            if (e instanceof ChatEvent.TextDelta d) streamed.append(d.text());
          }
        }
        return answer + " | " + streamed;
      }
    }
  }

  /**
   * Child-first for {@code dev.switchboard.*} (so their references to Micrometer resolve here),
   * parent-first for everything else, and no {@code io.micrometer.*} at all.
   */
  private static final class HidingMicrometer extends ClassLoader {
    final List<String> refused = new CopyOnWriteArrayList<>();

    HidingMicrometer(ClassLoader parent) {
      super("no-micrometer", parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("io.micrometer.")) {
        refused.add(name);
        throw new ClassNotFoundException(name + " (hidden: Micrometer is not on this classpath)");
      }
      if (!name.startsWith("dev.switchboard.")) return super.loadClass(name, resolve);
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) throw new ClassNotFoundException(name);
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        if (resolve) resolveClass(c);
        return c;
      }
    }
  }
}
