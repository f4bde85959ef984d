package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.TargetRef;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpCalls;
import dev.switchboard.http.SseEvent;
import dev.switchboard.http.SseReader;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.OpenAiCodec;
import dev.switchboard.openai.OpenAiStreamDecoder;
import dev.switchboard.testkit.Fixtures;
import dev.switchboard.testkit.cassette.Cassette;
import dev.switchboard.testkit.cassette.Interaction;
import dev.switchboard.testkit.fuzz.Hostile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import okhttp3.Headers;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Property tests of what Azure adds to the OpenAI parsers, on hostile input: the content-filter
 * fields read through the codec's hook ({@link AzureFilters}, {@link FilterJson}) in streams and
 * bodies, and Azure's error classification ({@link AzureErrors}). Garbage fails only with a typed
 * PROTOCOL error (or the server's own error object); filter JSON of any shape never throws;
 * an error response of any shape becomes a typed, short, secret-free exception.
 */
class AzureParserPropertyTest {
  static final ErrorContext CTX = new ErrorContext("azure-openai", "fuzz");
  static final Secret KEY = Secret.of("0f9e8d7c6b5a4938azurefuzzkey2716");
  final OpenAiCodec codec = new OpenAiCodec(ProviderTestKit.objectMapper(), Clock.systemUTC());

  static final Supplier<List<byte[]>> STREAMS = Fixtures.lazy(() -> recorded(true));
  static final Supplier<List<byte[]>> BODIES = Fixtures.lazy(() -> recorded(false));

  static List<byte[]> recorded(boolean streams) {
    List<byte[]> out = new ArrayList<>();
    for (String dir : List.of("azure-openai/mirascope/input/cassettes", "azure-openai/mirascope/output/cassettes", "azure-openai/pydantic-ai")) {
      for (Path file : Cassette.list(Fixtures.path(dir))) {
        for (Interaction i : Cassette.load(file).interactions()) {
          boolean sse = i.response().contentType().filter(t -> t.contains("event-stream")).isPresent();
          if (i.request().path().endsWith("/chat/completions") && sse == streams) out.add(i.response().decodedBody());
        }
      }
    }
    if (streams) {
      // Vercel's decoded Azure chunks (with content_filter_offsets), framed as SSE.
      for (String chunks : List.of("azure-openai/vercel-ai/azure-model-router.1.chunks.txt",
          "azure-openai/vercel-ai/openai-compatible-azure-text.chunks.txt")) {
        StringBuilder sse = new StringBuilder();
        for (String line : Fixtures.text(chunks).split("\n")) {
          if (!line.isBlank()) sse.append("data: ").append(line).append("\n\n");
        }
        out.add(sse.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  record Decoded(List<ChatEvent> events, SwitchboardException error) {}

  /** Reads a stream as the shared OpenAiSseStream does for Azure: SSE reader, OpenAI decoder with the Azure filter hook. */
  Decoded decode(BufferedSource source) {
    AzureFilters filters = new AzureFilters();
    OpenAiStreamDecoder decoder = codec.streamDecoder(CTX, List.of(KEY), filters);
    List<ChatEvent> events = new ArrayList<>();
    try {
      SseReader reader = new SseReader(source, 64 * 1024);
      SseEvent e;
      while ((e = reader.next()) != null) {
        decoder.accept(e.event(), e.data(), events::add);
        if (decoder.isDone()) break;
      }
      decoder.finish(events::add, Optional.empty(), Optional.empty());
      filters.metadata();
      return new Decoded(events, null);
    } catch (SwitchboardException e) {
      return new Decoded(events, e);
    } catch (IOException e) {
      return new Decoded(events, HttpCalls.transportError(e, false, CTX));
    }
  }

  static void assertTyped(SwitchboardException e) {
    if (e == null) return;
    if (e.kind() != ErrorKind.PROTOCOL) {
      assertThat(e.detail()).as("non-PROTOCOL only for an error object the server sent: %s", e).startsWith("error inside the stream: ");
    }
    assertThat(e.getMessage()).doesNotContain(KEY.reveal());
  }

  @Provide
  Arbitrary<byte[]> mutatedStream() {
    return Hostile.mutatedOneOf(STREAMS.get(), 4);
  }

  @Provide
  Arbitrary<byte[]> recordedStream() {
    return Arbitraries.of(STREAMS.get());
  }

  @Provide
  Arbitrary<byte[]> mutatedBody() {
    return Hostile.mutatedOneOf(BODIES.get(), 4);
  }

  @Provide
  Arbitrary<String> soup() {
    return Hostile.tokenSoup(80);
  }

  @Provide
  Arbitrary<List<Integer>> reads() {
    return Hostile.readSizes(48);
  }

  @Example
  void theRecordingsAreFoundAndDecodeCleanly() {
    assertThat(STREAMS.get().size()).as("recorded Azure streams").isGreaterThanOrEqualTo(5);
    assertThat(BODIES.get().size()).as("recorded Azure bodies").isGreaterThanOrEqualTo(10);
    for (byte[] s : STREAMS.get()) assertThat(decode(new Buffer().write(s)).error).isNull();
  }

  @Property(tries = 600)
  void mutatedAzureStreamsFailOnlyTyped(@ForAll("mutatedStream") byte[] body) {
    assertTyped(decode(new Buffer().write(body)).error);
  }

  @Property(tries = 150)
  void anySplitOfAnAzureStreamGivesTheSameEvents(@ForAll("recordedStream") byte[] body, @ForAll("reads") List<Integer> reads) {
    assertThat(decode(Hostile.split(body, reads)).events).isEqualTo(decode(new Buffer().write(body)).events);
  }

  @Property(tries = 800)
  void mutatedAzureBodiesFailOnlyTyped(@ForAll("mutatedBody") byte[] body) {
    AzureFilters filters = new AzureFilters();
    try {
      codec.decodeResponse(body, CTX, List.of(KEY), filters).servedBy(new TargetRef("fuzz", "azure-openai", "d")).build();
      filters.metadata();
    } catch (SwitchboardException e) {
      assertTyped(e);
    }
  }

  @Property(tries = 600)
  void filterJsonOfAnyShapeNeverThrows(@ForAll("soup") String soup) {
    JsonNode node;
    try {
      node = ProviderTestKit.objectMapper().readTree(soup);
    } catch (IOException notJson) {
      return;
    }
    FilterJson.results(node).describeFiltered();
    FilterJson.prompts(node);
    if (node != null) {
      AzureFilters filters = new AzureFilters();
      for (String name : List.of("prompt_filter_results", "content_filter_results", "content_filter_offsets", "prompt_annotations")) {
        filters.accept(0, name, node);
      }
      filters.metadata();
    }
  }

  @Property(tries = 300)
  void anErrorResponseAlwaysBecomesATypedErrorWithABoundedSecretFreeMessage(
      @ForAll @IntRange(min = 100, max = 599) int status, @ForAll("mutatedBody") byte[] body, @ForAll("soup") String retryAfter) {
    byte[] withKey = (new String(body, StandardCharsets.UTF_8) + " api-key: " + KEY.reveal()).getBytes(StandardCharsets.UTF_8);
    Headers headers = new Headers.Builder().addUnsafeNonAscii("retry-after", retryAfter.replace('\n', ' ').replace('\r', ' '))
        .addUnsafeNonAscii("x-ms-region", retryAfter.replace('\n', ' ').replace('\r', ' ')).add("apim-request-id", "r-1").build();
    AzureOpenAiException e = new AzureErrors(codec, Duration.ofSeconds(60)).http(status, headers, withKey, CTX, List.of(KEY));
    assertThat(e.kind()).isNotNull();
    assertThat(e.getMessage()).doesNotContain(KEY.reveal());
    assertThat(e.detail().length()).as("detail stays short").isLessThan(800);
  }
}
