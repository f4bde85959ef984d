package dev.switchboard.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Every recorded ConverseStream body in the shared fixtures, as raw event-stream bytes. */
public final class RecordedStreams {
  private RecordedStreams() {}

  /** A named body; {@code chunks} are the network reads as recorded, when the recording kept them. */
  public record Recorded(String name, byte[] body, List<byte[]> chunks) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static List<Recorded> all() {
    List<Recorded> out = new ArrayList<>();
    for (Path cassette : Cassettes.pydanticAi()) {
      int i = 0;
      for (Cassettes.Interaction it : Cassettes.read(cassette)) {
        i++;
        if (it.uri().endsWith("/converse-stream") && it.status() == 200 && it.responseBody() instanceof byte[] b) {
          out.add(new Recorded("pydantic-ai/" + cassette.getFileName() + "#" + i, b, List.of()));
        }
      }
    }
    out.add(new Recorded("newrelic/converse-stream-212F-to-C.eventstream.bin",
        Fixtures.bytes("bedrock/newrelic/converse-stream-212F-to-C.eventstream.bin"), List.of()));
    try {
      JsonNode nr = ProviderTestKit.objectMapper().readTree(Fixtures.text("bedrock/newrelic/converse-recorded-responses.json"));
      for (Iterator<Map.Entry<String, JsonNode>> it = nr.get("STREAMED_RESPONSES").properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<byte[]> chunks = new ArrayList<>();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (JsonNode hex : e.getValue().get(2)) {
          byte[] c = HexFormat.of().parseHex(hex.asText());
          chunks.add(c);
          all.write(c, 0, c.length);
        }
        out.add(new Recorded("newrelic/STREAMED_RESPONSES[" + e.getKey() + "]", all.toByteArray(), chunks));
      }
      JsonNode live = ProviderTestKit.objectMapper().readTree(Fixtures.text("bedrock/vercel-ai/issue-18994-live-converse-stream.json"));
      out.add(new Recorded("vercel-ai/issue-18994-live-converse-stream.json",
          Base64.getDecoder().decode(live.get("response").get("bodyBase64").asText()), List.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Vercel's decoded chunk files: re-framed here, one event per line.
    try (var files = Files.list(Fixtures.path("bedrock/vercel-ai"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".chunks.txt")).sorted().toList()) {
        Frames frames = Frames.create();
        boolean events = true;
        for (String line : Files.readAllLines(p)) {
          if (line.isBlank()) continue;
          JsonNode node = ProviderTestKit.objectMapper().readTree(line);
          Map.Entry<String, JsonNode> only = node.properties().iterator().next();
          if (node.size() != 1 || only.getKey().equals("Output")) {
            events = false; // an error envelope, not events
            break;
          }
          frames.event(only.getKey(), only.getValue().toString());
        }
        if (events) out.add(new Recorded("vercel-ai/" + p.getFileName(), frames.bytes(), List.of()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
