package dev.switchboard.aws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/** Copies a JSON value from a parser to compact text, as a tree of it would print, without building the tree. */
final class CompactJson {
  private static final Set<String> IN_ARRAY = Set.of();

  private CompactJson() {}

  /**
   * The current value as compact JSON text, exactly as {@code JsonNode.toString()} of its tree
   * would write it, copied token by token. The one difference a copy has from a tree, an
   * object with a repeated key (a tree keeps the last value, in the first one's place), is
   * settled by reading the copy as a tree: that rare case alone costs a tree of this value.
   */
  static String copy(JsonParser p, ObjectMapper mapper) throws IOException {
    StringWriter out = new StringWriter();
    boolean repeatedKey = false;
    Deque<Set<String>> keys = new ArrayDeque<>();
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      JsonToken t = p.currentToken();
      while (true) {
        switch (t) {
          case START_OBJECT -> {
            g.writeStartObject();
            keys.push(new HashSet<>());
          }
          case START_ARRAY -> {
            g.writeStartArray();
            keys.push(IN_ARRAY);
          }
          case END_OBJECT -> {
            g.writeEndObject();
            keys.pop();
          }
          case END_ARRAY -> {
            g.writeEndArray();
            keys.pop();
          }
          case FIELD_NAME -> {
            String name = p.currentName();
            if (!keys.peek().add(name)) repeatedKey = true;
            g.writeFieldName(name);
          }
          case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          case VALUE_NUMBER_INT -> {
            switch (p.getNumberType()) {
              case INT -> g.writeNumber(p.getIntValue());
              case LONG -> g.writeNumber(p.getLongValue());
              default -> g.writeNumber(p.getBigIntegerValue());
            }
          }
          case VALUE_NUMBER_FLOAT -> g.writeNumber(p.getDoubleValue());
          case VALUE_TRUE -> g.writeBoolean(true);
          case VALUE_FALSE -> g.writeBoolean(false);
          case VALUE_NULL -> g.writeNull();
          default -> throw new JsonParseException(p, "unexpected token " + t);
        }
        if (keys.isEmpty()) break;
        t = p.nextToken();
        if (t == null) throw new JsonParseException(p, "unexpected end of input");
      }
    }
    String json = out.toString();
    return repeatedKey ? mapper.readTree(json).toString() : json;
  }

}
