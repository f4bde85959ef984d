package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatStream;
import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.azure.UrlStyle;
import dev.switchboard.testing.ProviderTestKit;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model ids and Azure deployment names are data, never URL syntax: whatever they contain
 * ({@code /}, {@code ..}, {@code ?}, {@code #}, {@code %}, spaces, control characters, unicode),
 * the request that reaches the server has exactly the documented path and query, with the name
 * as one percent-encoded path segment (Azure deployment URLs, Bedrock) or only in the body
 * (OpenAI, Azure v1). Checked on the wire, on the raw request target MockWebServer received.
 */
@ExtendWith(LeakGuard.class)
class UrlSafetyTest {
  static final List<String> NAMES = List.of(
      "gpt-4o", "a/b", "../../admin", "a/../b", "..%2F..%2Fadmin", "%2e%2e", "./.", "x?api-version=evil", "x&api-version=evil",
      "?", "#", "x#fragment", "100%", "a%2Fb", "%", "with space", " leading", "tab\tname", "new\nline", "nul\u0000byte",
      "a\\b", "semi;colon", "plus+sign", "at@sign", "colon:1", "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-2-1b-instruct-v1:0",
      "模型", "ü-ñ-é", "emoji-😀", "\u202egnp.exe", "fullwidth．．／");

  static final java.util.Map<Kind, HealthyServer> SERVERS = new java.util.EnumMap<>(Kind.class);

  @BeforeAll
  static void start() throws Exception {
    for (Kind k : Kind.values()) SERVERS.put(k, new HealthyServer(k));
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(HealthyServer::close);
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Kind k : Kind.values()) {
      for (String name : NAMES) {
        out.add(Arguments.of(k, name, false));
        out.add(Arguments.of(k, name, true));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} stream={2}: {1}")
  @MethodSource("cases")
  void aNameNeverChangesThePathOrQuery(Kind kind, String name, boolean streaming) throws Exception {
    HealthyServer server = SERVERS.get(kind);
    try (Switchboard sb = switchboard(kind.deployment("target", server.url()), name)) {
      call(sb, streaming);
      assertOnTheWire(kind, name, streaming, server.take());
    }
  }

  @Test
  void azureV1UrlsCarryTheDeploymentNameOnlyInTheBody() throws Exception {
    HealthyServer server = SERVERS.get(Kind.AZURE);
    for (String name : NAMES) {
      Deployment d = AzureOpenAi.deployment("target").endpoint(server.url()).urlStyle(UrlStyle.V1)
          .apiKey(Secret.of(Kind.AZURE_KEY)).build();
      try (Switchboard sb = switchboard(d, name)) {
        call(sb, false);
        RecordedRequest r = server.take();
        assertThat(r.getTarget()).as(name).isEqualTo("/openai/v1/chat/completions");
        assertThat(model(r)).isEqualTo(name);
      }
    }
  }

  @Test
  void dotSegmentsAreRefusedBeforeAnythingIsSent() throws Exception {
    for (Kind kind : List.of(Kind.AZURE, Kind.BEDROCK)) {
      HealthyServer server = SERVERS.get(kind);
      for (String name : List.of(".", "..")) {
        int before = server.calls();
        try (Switchboard sb = switchboard(kind.deployment("target", server.url()), name)) {
          assertThatThrownBy(() -> sb.chat(ChatRequest.of(Rig.ALIAS, "hi")))
              .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
        }
        assertThat(server.calls()).as("%s %s", kind, name).isEqualTo(before);
      }
    }
  }

  static Switchboard switchboard(Deployment d, String model) {
    return Switchboard.builder().deployment(d).model(ModelAlias.builder(Rig.ALIAS).target("target", model).build()).build();
  }

  static void call(Switchboard sb, boolean streaming) {
    ChatRequest request = ChatRequest.of(Rig.ALIAS, "hi");
    if (streaming) {
      try (ChatStream s = sb.stream(request)) {
        s.forEach(e -> { });
      }
    } else {
      sb.chat(request);
    }
  }

  /** The exact target each provider must send, the name appearing only where it belongs. */
  static void assertOnTheWire(Kind kind, String name, boolean streaming, RecordedRequest r) throws Exception {
    String target = r.getTarget();
    assertThat(target).as("raw request target for %s", name)
        .doesNotContain("#", " ", "\t", "\n", "\\").matches("[\\x21-\\x7e]+");
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    List<String> segments = List.of(path.substring(1).split("/", -1));
    switch (kind) {
      case OPENAI -> {
        assertThat(target).isEqualTo("/v1/chat/completions");
        assertThat(model(r)).isEqualTo(name);
      }
      case AZURE -> {
        assertThat(segments).hasSize(5);
        assertThat(segments.get(0)).isEqualTo("openai");
        assertThat(segments.get(1)).isEqualTo("deployments");
        assertThat(decode(segments.get(2))).as("the deployment segment decodes to the name").isEqualTo(name);
        assertThat(segments.subList(3, 5)).containsExactly("chat", "completions");
        assertThat(query).as("the only query parameter").isEqualTo("api-version=2024-10-21");
      }
      case BEDROCK -> {
        assertThat(segments).hasSize(3);
        assertThat(segments.get(0)).isEqualTo("model");
        assertThat(decode(segments.get(1))).as("the model segment decodes to the id").isEqualTo(name);
        assertThat(segments.get(2)).isEqualTo(streaming ? "converse-stream" : "converse");
        assertThat(query).isNull();
      }
    }
  }

  static String model(RecordedRequest r) throws Exception {
    JsonNode body = ProviderTestKit.objectMapper().readTree(r.getBody().utf8());
    return body.get("model").asText();
  }

  /** Strict percent-decoding: only %XX escapes, UTF-8, no '+' for space; anything else fails the test. */
  static String decode(String segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        assertThat(c).as("unescaped character in a path segment").isNotIn('/', '?', '#', '%');
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
