package dev.switchboard.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatRequest;
import dev.switchboard.openai.testkit.RecordedResponses;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Walks every recorded Responses API create call in the shared fixtures and counts how many are
 * built with the typed API alone (no provider option), how many need a raw provider option (by
 * field), and how many use a feature Switchboard refuses or does not map (by reason, from
 * {@link RecordedResponses#toRequest}). The replay test then sends every buildable one and
 * compares the body with the recording; this one pins the counts, so a field typed without the walk
 * learning it, or one lost, fails here.
 */
class ResponsesTypedApiCoverageTest {
  @Test
  void everyRecordedCreateCallIsClassified() {
    int total = 0;
    int typedOnly = 0;
    Map<String, Integer> rawOnly = new TreeMap<>();
    Map<String, Integer> unsupported = new TreeMap<>();
    for (Path file : Cassette.list(Fixtures.path(ResponsesCassetteReplayTest.DIR))) {
      for (Interaction i : Cassette.load(file).interactions()) {
        if (!ResponsesCassetteReplayTest.isCreate(i)) continue;
        total++;
        JsonNode body = i.request().json().orElseThrow();
        try {
          ChatRequest request = RecordedResponses.toRequest(body, OpenAiProvider.TYPE);
          Map<String, Object> options = request.providerOptions(OpenAiProvider.TYPE);
          if (options.isEmpty()) typedOnly++;
          options.keySet().forEach(k -> rawOnly.merge(k, 1, Integer::sum));
        } catch (RecordedResponses.Unsupported e) {
          String reason = e.getMessage();
          unsupported.merge(reason.length() > 60 ? reason.substring(0, 60) : reason, 1, Integer::sum);
        }
      }
    }
    System.out.printf("typed API coverage of %d recorded Responses create calls: %d typed only, %d need a provider option,"
        + " %d not mapped%n", total, typedOnly, total - typedOnly - unsupported.values().stream().mapToInt(Integer::intValue).sum(),
        unsupported.values().stream().mapToInt(Integer::intValue).sum());
    System.out.println("  provider options still needed, by field: " + rawOnly);
    System.out.println("  not mapped, by reason: " + unsupported);
    assertThat(total).as("recorded create calls").isEqualTo(TOTAL);
    // Typed now: service_tier, and include: ["reasoning.encrypted_content"] (the writer asks for it itself
    // whenever reasoning is in play and nothing is stored; with no reasoning named it is
    // ReasoningSettings.enabled()). Left raw: reasoning fields beyond effort and summary (context, mode,
    // the old generate_summary), context_management, moderation, truncation, text.verbosity, and one
    // out-of-range temperature (-1) recorded to get a 400.
    assertThat(rawOnly.keySet()).containsExactlyInAnyOrder("context_management", "moderation", "reasoning", "temperature",
        "text", "truncation");
    assertThat(typedOnly).as("built with the typed API alone; update the pin and README when a field is typed").isEqualTo(TYPED_ONLY);
  }

  private static final int TOTAL = 133;
  private static final int TYPED_ONLY = 64;
}
