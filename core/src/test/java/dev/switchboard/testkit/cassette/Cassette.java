package dev.switchboard.testkit.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A VCR cassette (the YAML that vcrpy / pytest-recording write, as used by pydantic-ai, New Relic
 * and Mirascope): an ordered list of recorded HTTP {@link Interaction}s. Reads every body form
 * those projects use: {@code body: '<text>'}, {@code body: {string: '<text>'}}, binary bodies
 * ({@code !!binary} base64, e.g. gzip or AWS event streams), and {@code parsed_body} (JSON that
 * the recorder re-serialized as YAML, turned back into compact JSON here). Header values may be
 * {@code !!binary} too. Only for tests; reads files in place, never writes.
 */
public record Cassette(Path source, List<Interaction> interactions) {
  private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .loaderOptions(loaderOptions()).build());

  public Cassette {
    Objects.requireNonNull(source, "source == null");
    interactions = List.copyOf(interactions);
  }

  /** Loads a cassette under the shared fixtures ({@code ../shared/fixtures}); skips when absent. */
  public static Cassette fixture(String relative) {
    return load(Fixtures.path(relative));
  }

  /** Loads the cassette at {@code path}. */
  public static Cassette load(Path path) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cassette " + path, e);
    }
    JsonNode list = root == null ? null : root.get("interactions");
    if (list == null || !list.isArray()) throw new IllegalArgumentException("not a VCR cassette (no interactions list): " + path);
    List<Interaction> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      try {
        out.add(Interaction.read(i, list.get(i)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cassette " + path + " interaction " + i + ": " + e.getMessage(), e);
      }
    }
    return new Cassette(path, out);
  }

  /** Every cassette file ({@code *.yaml}, {@code *.yml}) under {@code dir}, sorted by path. */
  public static List<Path> list(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.endsWith(".yaml") || n.endsWith(".yml");
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The interactions whose request matches {@code filter}, in recorded order. */
  public List<Interaction> interactions(Predicate<RecordedRequest> filter) {
    return interactions.stream().filter(i -> filter.test(i.request())).toList();
  }

  /** A short name for test reports: the file name relative to its grandparent folder. */
  public String name() {
    Path parent = source.getParent();
    Path base = parent != null && parent.getParent() != null ? parent.getParent() : parent;
    return base == null ? source.toString() : base.relativize(source).toString();
  }

  private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
    org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
    // Some cassettes hold multi-megabyte bodies (event streams, embeddings).
    o.setCodePointLimit(64 * 1024 * 1024);
    return o;
  }
}
