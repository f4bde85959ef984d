package dev.switchboard.aws.testing;

import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A small reader for the pydantic-ai VCR cassettes (YAML). Bodies are kept as the cassette holds
 * them: {@code parsed_body} (re-serialised JSON), {@code body.string} text, or {@code !!binary}
 * bytes (the raw ConverseStream event streams). Private to this module until core's shared
 * cassette reader lands.
 */
public final class Cassettes {
  private Cassettes() {}

  /** One recorded exchange. {@code responseBody} is a {@code byte[]}, a {@code String} or a parsed JSON value. */
  public record Interaction(String method, String uri, Object requestBody, int status, Map<String, Object> responseHeaders,
      Object responseBody) {
    public String header(String name) {
      for (Map.Entry<String, Object> e : responseHeaders.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          Object v = e.getValue();
          Object first = v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v;
          return first instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(first);
        }
      }
      return null;
    }
  }

  public static List<Path> pydanticAi() {
    try (var files = Files.list(Fixtures.path("bedrock/pydantic-ai"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static List<Interaction> read(Path cassette) {
    Map<String, Object> root;
    try (Reader r = Files.newBufferedReader(cassette)) {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(64 * 1024 * 1024);
      root = new Yaml(new SafeConstructor(options)).load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Interaction> out = new ArrayList<>();
    for (Object o : (List<Object>) root.get("interactions")) {
      Map<String, Object> it = (Map<String, Object>) o;
      Map<String, Object> req = (Map<String, Object>) it.get("request");
      Map<String, Object> resp = (Map<String, Object>) it.get("response");
      Object body = resp.get("parsed_body");
      if (body == null && resp.get("body") instanceof Map<?, ?> b) body = b.get("string");
      Object reqBody = req.get("body");
      if (reqBody instanceof byte[] bytes) reqBody = new String(bytes, StandardCharsets.UTF_8);
      int status = (Integer) ((Map<String, Object>) resp.get("status")).get("code");
      Map<String, Object> headers = (Map<String, Object>) resp.getOrDefault("headers", Map.of());
      out.add(new Interaction((String) req.get("method"), (String) req.get("uri"), reqBody, status, headers, body));
    }
    return out;
  }
}
