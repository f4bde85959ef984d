package dev.switchboard.testkit.cassette;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassetteTest {

  @Test
  void readsParsedBodiesAsJson() {
    Cassette c = Cassette.fixture("openai/pydantic-ai/test_valid_response.yaml");
    assertThat(c.interactions()).hasSize(1);
    Interaction i = c.interactions().get(0);
    assertThat(i.request().method()).isEqualTo("POST");
    assertThat(i.request().path()).isEqualTo("/v1/chat/completions");
    assertThat(i.request().json().orElseThrow().get("model").asText()).isEqualTo("gpt-4o");
    assertThat(i.request().header("Content-Type")).contains("application/json");
    assertThat(i.response().status()).isEqualTo(200);
    JsonNode body = i.response().json().orElseThrow();
    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("The capital of France is Paris.");
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(21);
    assertThat(i.response().header("OPENAI-PROCESSING-MS")).contains("288");
  }

  @Test
  void readsRawStringBodiesIncludingSseWithTrailingBlankLines() {
    Cassette c = Cassette.fixture("openai/pydantic-ai/test_run_stream_sync_streams_real_model.yaml");
    RecordedResponse r = c.interactions().get(0).response();
    assertThat(r.json()).isEmpty();
    assertThat(r.text()).startsWith("data: {").contains("data: [DONE]").endsWith("\n\n");
    assertThat(r.contentType()).contains("text/event-stream; charset=utf-8");
  }

  @Test
  void readsPlainStringRequestBodiesAndLowerCaseMethods() {
    Cassette c = Cassette.fixture("openai/newrelic/mlmodel_openai-cassette.yaml");
    assertThat(c.interactions()).hasSize(37);
    assertThat(c.interactions()).extracting(i -> i.request().method()).containsOnly("POST");
    Interaction embed = c.interactions(rq -> rq.path().endsWith("/embeddings")).get(0);
    assertThat(embed.request().json().orElseThrow().get("encoding_format").asText()).isEqualTo("base64");
    assertThat(c.interactions().get(1).response().status()).isEqualTo(404);
    assertThat(c.interactions().get(1).response().header("x-request-id")).isPresent();
  }

  @Test
  void readsBinaryGzipBodiesAndDecodesThem() {
    Cassette c = Cassette.fixture("azure-openai/mirascope/input/cassettes/test_resume_with_override/azure_openai_gpt_5_mini.yaml");
    RecordedResponse r = c.interactions().stream().map(Interaction::response).filter(RecordedResponse::gzipped)
        .findFirst().orElseThrow();
    assertThat(r.body()[0] & 0xff).isEqualTo(0x1f);
    assertThat(r.body()[1] & 0xff).isEqualTo(0x8b);
    assertThat(r.json()).isPresent();
  }

  @Test
  void readsBinaryHeaderValuesAndBinaryEventStreamBodies() {
    Cassette c = Cassette.fixture("bedrock/pydantic-ai/test_bedrock_model_max_tokens.yaml");
    RecordedRequest rq = c.interactions().get(0).request();
    assertThat(rq.header("content-type")).contains("application/json");
    assertThat(rq.header("amz-sdk-request")).contains("attempt=1");
    List<Interaction> streams = Cassette.list(Fixtures.path("bedrock/pydantic-ai")).stream()
        .map(Cassette::load).flatMap(x -> x.interactions().stream())
        .filter(i -> i.request().path().endsWith("/converse-stream") && i.response().status() == 200)
        .toList();
    assertThat(streams).isNotEmpty();
    byte[] frames = streams.get(0).response().body();
    // An AWS event-stream frame starts with its 4-byte total length, which cannot exceed the body.
    long total = ((frames[0] & 0xffL) << 24) | ((frames[1] & 0xff) << 16) | ((frames[2] & 0xff) << 8) | (frames[3] & 0xff);
    assertThat(total).isPositive().isLessThanOrEqualTo(frames.length);
    assertThat(new String(frames, StandardCharsets.ISO_8859_1)).contains(":event-type");
  }
}
