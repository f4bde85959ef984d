package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 item 12: a self-referential or 5,000-deep provider option ended as PROTOCOL "internal
 * error ... StackOverflowError" inside the OpenAI and Azure providers. It is refused when the
 * request is built, naming the option and the limit.
 */
class ProviderOptionsLimitsTest {

  private static Map<String, Object> nested(int depth) {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> m = root;
    for (int i = 1; i < depth; i++) {
      Map<String, Object> next = new LinkedHashMap<>();
      m.put("k", next);
      m = next;
    }
    m.put("leaf", 1);
    return root;
  }

  @Test
  void aFiveThousandDeepOptionIsRefusedWhenTheRequestIsBuilt() {
    assertThatThrownBy(() -> ChatRequest.builder("chat").user("hi").providerOption("openai", "deep", nested(5000)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("providerOptions 'openai' option 'deep' is nested deeper than 64 levels, the limit for an option value");
  }

  @Test
  void aDeepListIsRefusedToo() {
    List<Object> root = new ArrayList<>();
    List<Object> l = root;
    for (int i = 0; i < 5000; i++) {
      List<Object> next = new ArrayList<>();
      l.add(next);
      l = next;
    }
    assertThatThrownBy(() -> ChatRequest.builder("chat").user("hi").providerOption("azure-openai", "data_sources", root).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("providerOptions 'azure-openai' option 'data_sources' is nested deeper than 64 levels");
  }

  @Test
  void aSelfReferentialOptionIsRefusedAsACycle() {
    Map<String, Object> self = new LinkedHashMap<>();
    self.put("self", self);
    assertThatThrownBy(() -> ChatRequest.builder("chat").user("hi").providerOption("openai", "loop", self).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("providerOptions 'openai' option 'loop' contains itself (a cycle); option values must be trees of"
            + " maps, lists and plain values");
    List<Object> list = new ArrayList<>();
    list.add(Map.of("a", list));
    assertThatThrownBy(() -> ChatRequest.builder("chat").user("hi").providerOption("openai", "loop", list).build())
        .hasMessageContaining("contains itself (a cycle)");
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("me", node);
    assertThatThrownBy(() -> ChatRequest.builder("chat").user("hi").providerOption("openai", "tree", node).build())
        .hasMessageContaining("providerOptions 'openai' option 'tree' contains itself (a cycle)");
  }

  @Test
  void theSameValueTwiceIsNotACycle() throws Exception {
    Map<String, Object> shared = Map.of("type", "text");
    ChatRequest r = ChatRequest.builder("chat").user("hi")
        .providerOption("openai", "pair", List.of(shared, shared)).build();
    assertThat(Json.mapper().writeValueAsString(r.providerOptions("openai")))
        .isEqualTo("{\"pair\":[{\"type\":\"text\"},{\"type\":\"text\"}]}");
  }

  @Test
  void anOptionAtTheLimitIsKeptAndSerialisesAndLaterChangesDoNotReachTheRequest() throws Exception {
    Map<String, Object> value = nested(ChatRequest.MAX_OPTION_DEPTH);
    ChatRequest r = ChatRequest.builder("chat").user("hi").providerOption("openai", "deep", value).build();
    String before = Json.mapper().writeValueAsString(r.providerOptions("openai"));
    value.put("added", "later");
    value.put("self", value); // a cycle made after build never reaches the request
    assertThat(Json.mapper().writeValueAsString(r.providerOptions("openai"))).isEqualTo(before);
    assertThatThrownBy(() -> ((Map<String, Object>) r.providerOptions("openai").get("deep")).put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
