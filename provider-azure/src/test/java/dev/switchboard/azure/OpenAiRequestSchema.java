package dev.switchboard.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.switchboard.internal.Json;
import dev.switchboard.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;

/**
 * Validates request bodies against the official OpenAI OpenAPI document in the fixtures
 * ({@code openai-openapi/openai-openapi.yaml}): {@code CreateChatCompletionRequest} and
 * {@code CreateEmbeddingRequest}. Azure accepts the same bodies (its extra fields, like
 * {@code data_sources}, are allowed by the schema's open objects).
 */
final class OpenAiRequestSchema {
  private static JsonSchema chat;
  private static JsonSchema embeddings;

  private OpenAiRequestSchema() {}

  /** The schema violations of a chat request body; empty when valid. */
  static List<String> chatProblems(String json) {
    return problems(schemas()[0], json);
  }

  /** The schema violations of an embeddings request body; empty when valid. */
  static List<String> embeddingsProblems(String json) {
    return problems(schemas()[1], json);
  }

  private static List<String> problems(JsonSchema schema, String json) {
    try {
      Set<ValidationMessage> errors = schema.validate(Json.mapper().readTree(json));
      return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  private static synchronized JsonSchema[] schemas() {
    if (chat == null) {
      JsonNode doc;
      try {
        doc = new YAMLMapper(YAMLFactory.builder().loaderOptions(loaderOptions()).build())
            .readTree(Files.readAllBytes(Fixtures.path("openai-openapi/openai-openapi.yaml")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // OpenAPI adds keywords JSON Schema does not know (discriminator, x-oaiMeta, ...): treat
      // them as annotations rather than warn about each.
      JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
          .unknownKeywordFactory((value, context) -> new AnnotationKeyword(value)).build();
      JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
          b -> b.metaSchema(meta));
      chat = factory.getSchema(SchemaLocation.of("https://openai.test/chat.json"), root(doc, "CreateChatCompletionRequest"));
      embeddings = factory.getSchema(SchemaLocation.of("https://openai.test/embeddings.json"), root(doc, "CreateEmbeddingRequest"));
    }
    return new JsonSchema[] {chat, embeddings};
  }

  /** A root schema that is a $ref into the document's own components. */
  private static JsonNode root(JsonNode doc, String schema) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$ref", "#/components/schemas/" + schema);
    root.set("components", doc.get("components"));
    return root;
  }

  private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
    org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
    o.setCodePointLimit(16 * 1024 * 1024);
    return o;
  }
}
