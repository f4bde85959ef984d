package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A stream repeats the same content-filter verdicts on many chunks, and the collector skips a
 * repeat instead of merging it again: the verdicts it reports must be exactly those of merging
 * every chunk's verdicts.
 */
class AzureFiltersRepeatTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String SAFE = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
  private static final String LOW = "{\"hate\":{\"filtered\":false,\"severity\":\"low\"},"
      + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
  private static final String FILTERED = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
      + "\"self_harm\":{\"filtered\":true,\"severity\":\"medium\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
  private static final String DETECTED = "{\"protected_material_text\":{\"filtered\":false,\"detected\":true},"
      + "\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"filtered\":true,\"id\":\"list-a\"}]}}";
  private static final List<String> VERDICTS = List.of(SAFE, LOW, FILTERED, DETECTED, "{}");

  private static JsonNode node(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** What merging every chunk's verdicts gives, no repeat skipped. */
  private static ContentFilterResults mergeAll(List<String> chunks) {
    ContentFilterResults all = ContentFilterResults.EMPTY;
    for (String c : chunks) all = all.merge(FilterJson.results(node(c)));
    return all;
  }

  private static ContentFilterResults collect(List<String> chunks) {
    AzureFilters filters = new AzureFilters();
    for (String c : chunks) filters.accept(0, "content_filter_results", node(c)); // a fresh tree per chunk, as parsed
    return (ContentFilterResults) filters.metadata().get(AzureMetadata.CONTENT_FILTER_RESULTS);
  }

  @Test
  void repeatedVerdictsGiveWhatMergingEveryChunkGives() {
    List<String> chunks = List.of(SAFE, SAFE, SAFE, FILTERED, FILTERED, SAFE, SAFE);
    ContentFilterResults r = collect(chunks);
    assertThat(r).isEqualTo(mergeAll(chunks));
    assertThat(r.filteredCategories()).containsExactly("self_harm");
    assertThat(r.category("self_harm").orElseThrow().severity()).contains("medium");
  }

  @Test
  void aVerdictReturningAfterAnotherIsStillMerged() {
    List<String> chunks = List.of(LOW, SAFE, LOW, DETECTED, LOW);
    assertThat(collect(chunks)).isEqualTo(mergeAll(chunks));
  }

  @Test
  void randomSequencesWithRepeatsMatchTheFullMerge() {
    Random random = new Random(42);
    for (int run = 0; run < 500; run++) {
      List<String> chunks = new ArrayList<>();
      int n = 1 + random.nextInt(30);
      String last = VERDICTS.get(random.nextInt(VERDICTS.size()));
      for (int i = 0; i < n; i++) {
        if (random.nextInt(4) == 0) last = VERDICTS.get(random.nextInt(VERDICTS.size())); // mostly repeats, like a stream
        chunks.add(last);
      }
      assertThat(collect(chunks)).as("chunks %s", chunks).isEqualTo(mergeAll(chunks));
    }
  }

  @Test
  void otherChoicesAreIgnoredAndDoNotResetTheRepeatCheck() {
    AzureFilters filters = new AzureFilters();
    filters.accept(0, "content_filter_results", node(FILTERED));
    filters.accept(1, "content_filter_results", node(SAFE));
    filters.accept(0, "content_filter_results", node(FILTERED));
    ContentFilterResults r = (ContentFilterResults) filters.metadata().get(AzureMetadata.CONTENT_FILTER_RESULTS);
    assertThat(r).isEqualTo(mergeAll(List.of(FILTERED)));
  }

  @Test
  void aRepeatIsRecognisedInPlaceInsideTheChunk() {
    AzureFilters filters = new AzureFilters();
    String chunk = "{\"choices\":[{\"content_filter_results\":" + SAFE + ",\"index\":0}]}";
    int start = chunk.indexOf(SAFE);
    int end = start + SAFE.length();
    assertThat(filters.repeats("content_filter_results", chunk, start, end)).isFalse(); // nothing merged yet
    filters.accept(0, "content_filter_results", node(SAFE));
    assertThat(filters.repeats("content_filter_results", chunk, start, end)).isTrue();
    assertThat(filters.repeats("content_filter_results", chunk, start, end - 1)).isFalse(); // another span
    assertThat(filters.repeats("content_filter_results", LOW)).isFalse();
    assertThat(filters.repeats("content_filter_offsets", chunk, start, end)).isFalse();
  }
}
