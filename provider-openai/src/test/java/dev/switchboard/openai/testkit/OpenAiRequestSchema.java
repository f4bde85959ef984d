package dev.switchboard.openai.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Validates request bodies against {@code CreateChatCompletionRequest},
 * {@code CreateEmbeddingRequest} and (Responses API) {@code CreateResponse} in OpenAI's published OpenAPI 3.1 document (shared fixtures),
 * with component {@code $ref}s resolved inside it. Providers that send OpenAI-format bodies
 * (OpenAI, Azure OpenAI) check what they send with it; Azure's extra fields, like
 * {@code data_sources}, are allowed by the schema's open objects.
 *
 * <p>The schema is a supplementary check on tests that stand on their own: on a clone without the
 * shared fixtures (and not on CI, where their absence fails) no violations are reported, so those
 * tests' own assertions still run; see {@link Fixtures#present()}.
 */
public final class OpenAiRequestSchema {
  private static final String IRI = "https://openapi.test/openai-openapi.json";
  private static volatile Map<String, JsonSchema> schemas;

  private OpenAiRequestSchema() {}

  /** Asserts that {@code body} is a valid chat completions request. */
  public static void assertValidChatRequest(byte[] body) {
    assertValid("CreateChatCompletionRequest", body);
  }

  /** Asserts that {@code body} is a valid Responses API request ({@code CreateResponse}). */
  public static void assertValidResponsesRequest(byte[] body) {
    assertValid("CreateResponse", body);
  }

  /** The schema violations of a Responses API request body, as {@link #chatProblems}. */
  public static List<String> responsesProblems(String json) {
    return problems("CreateResponse", json);
  }

  /** Asserts that {@code body} is a valid embeddings request. */
  public static void assertValidEmbeddingsRequest(byte[] body) {
    assertValid("CreateEmbeddingRequest", body);
  }

  /** The schema violations of a chat request body, sorted; empty when valid, one entry when not JSON. */
  public static List<String> chatProblems(String json) {
    return problems("CreateChatCompletionRequest", json);
  }

  /** The schema violations of an embeddings request body, as {@link #chatProblems}. */
  public static List<String> embeddingsProblems(String json) {
    return problems("CreateEmbeddingRequest", json);
  }

  private static List<String> problems(String component, String json) {
    if (!Fixtures.present()) return List.of();
    try {
      Set<ValidationMessage> errors = schemas().get(component).validate(ProviderTestKit.objectMapper().readTree(json));
      return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  /** The violations of {@code body} against {@code component} ({@code CreateChatCompletionRequest}, ...). */
  public static Set<ValidationMessage> validate(String component, byte[] body) {
    if (!Fixtures.present()) return Set.of();
    JsonNode json;
    try {
      json = ProviderTestKit.objectMapper().readTree(body);
    } catch (IOException e) {
      throw new AssertionError("request body is not JSON: " + new String(body, StandardCharsets.UTF_8), e);
    }
    return schemas().get(component).validate(json);
  }

  private static void assertValid(String component, byte[] body) {
    Set<ValidationMessage> errors = validate(component, body);
    assertThat(errors).as("%s violations for body %s", component,
        new String(body, StandardCharsets.UTF_8)).isEmpty();
  }

  private static Map<String, JsonSchema> schemas() {
    Map<String, JsonSchema> s = schemas;
    if (s != null) return s;
    synchronized (OpenAiRequestSchema.class) {
      if (schemas != null) return schemas;
      String json;
      try {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(16 * 1024 * 1024);
        YAMLMapper yaml = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
        JsonNode spec = yaml.readTree(Fixtures.path("openai-openapi/openai-openapi.yaml").toFile());
        // A Responses input message without "type" matches both EasyInputMessage and InputMessage
        // (the same shape, told apart by the API's discriminator, which this document gives no
        // mapping): an input item must match at least one of the item shapes, not exactly one.
        com.fasterxml.jackson.databind.node.ObjectNode inputItem =
            (com.fasterxml.jackson.databind.node.ObjectNode) spec.at("/components/schemas/InputItem");
        if (inputItem.has("oneOf")) inputItem.set("anyOf", inputItem.remove("oneOf"));
        json = ProviderTestKit.objectMapper().writeValueAsString(spec);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Plain JSON Schema 2020-12 (what OpenAPI 3.1 schemas are), not the OpenAPI dialect: the
      // document's discriminators have no mapping and name roles rather than schemas, which the
      // dialect would enforce literally; each oneOf alternative is already told apart by its
      // enum. OpenAPI's own keywords (discriminator, x-*) are kept as annotations, silently.
      JsonMetaSchema dialect = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
          .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
          .build();
      JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b
          .metaSchema(dialect)
          .defaultMetaSchemaIri(dialect.getIri())
          .schemaLoaders(l -> l.schemas(Map.of(IRI, json))));
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
      schemas = Map.of(
          "CreateChatCompletionRequest", factory.getSchema(SchemaLocation.of(IRI + "#/components/schemas/CreateChatCompletionRequest"), config),
          "CreateEmbeddingRequest", factory.getSchema(SchemaLocation.of(IRI + "#/components/schemas/CreateEmbeddingRequest"), config),
          "CreateResponse", factory.getSchema(SchemaLocation.of(IRI + "#/components/schemas/CreateResponse"), config));
      return schemas;
    }
  }
}
