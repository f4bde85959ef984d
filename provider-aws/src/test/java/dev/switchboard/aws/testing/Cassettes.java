package dev.switchboard.aws.testing;

import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pydantic-ai Bedrock cassettes, read with core's shared {@link Cassette} reader and viewed
 * the way these tests use them: a JSON response body as a parsed value, anything else (the raw
 * ConverseStream event streams) as bytes.
 */
public final class Cassettes {
  private Cassettes() {}

  /** One recorded exchange. {@code responseBody} is a {@code byte[]} or a parsed JSON value (map, list, ...). */
  public record Interaction(String method, String uri, String requestBody, int status, Map<String, Object> responseHeaders,
      Object responseBody) {}

  public static List<Path> pydanticAi() {
    return Cassette.list(Fixtures.path("bedrock/pydantic-ai"));
  }

  public static List<Interaction> read(Path cassette) {
    List<Interaction> out = new ArrayList<>();
    for (dev.switchboard.testkit.cassette.Interaction it : Cassette.load(cassette).interactions()) {
      byte[] request = it.request().body();
      Object body = it.response().json().<Object>map(n -> ProviderTestKit.objectMapper().convertValue(n, Object.class)).orElse(it.response().body());
      Map<String, Object> headers = new LinkedHashMap<>(it.response().headers());
      out.add(new Interaction(it.request().method(), it.request().uri(),
          request.length == 0 ? null : new String(request, StandardCharsets.UTF_8), it.response().status(), headers, body));
    }
    return out;
  }
}
