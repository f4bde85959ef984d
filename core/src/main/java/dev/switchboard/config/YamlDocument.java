package dev.switchboard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * One parsed configuration document and the keys it gives twice. A syntax error becomes a
 * {@link ConfigException} with the line, the column and the parser's description of the problem,
 * never the parser's copy of the source line: that line may hold a secret.
 */
record YamlDocument(JsonNode root, List<String> duplicates) {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().streamReadConstraints(Json.READ_CONSTRAINTS).build();
  private static final YAMLMapper MAPPER = new YAMLMapper(FACTORY);
  private static final Pattern WORD_SEPARATORS = Pattern.compile("[\\s,:{}\\[\\]\"'#&*!|>]+");

  static YamlDocument parse(String text, String source) {
    try {
      List<String> duplicates = duplicates(text);
      return new YamlDocument(MAPPER.readTree(text), duplicates);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, List.of(syntaxProblem(e, text)));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does no I/O
    }
  }

  /**
   * Walks the tokens once, remembering the line of every key of every mapping: the tree a mapper
   * builds keeps only the last of two equal keys, and a copied block nobody renamed would silently
   * replace the first.
   */
  private static List<String> duplicates(String text) throws IOException {
    List<String> problems = new ArrayList<>();
    Deque<Map<String, Integer>> open = new ArrayDeque<>();
    try (JsonParser p = FACTORY.createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.START_OBJECT) open.push(new HashMap<>());
        else if (t == JsonToken.END_OBJECT) open.pop();
        else if (t == JsonToken.FIELD_NAME) {
          int line = p.currentTokenLocation().getLineNr();
          Integer first = open.peek().putIfAbsent(p.currentName(), line);
          if (first != null) {
            String parent = path(p.getParsingContext());
            problems.add((parent.isEmpty() ? "" : parent + ".") + p.currentName() + ": duplicate key at lines " + first
                + " and " + line + " (the second would silently replace the first)");
          }
        }
      }
    }
    return problems;
  }

  /** The dotted path of the mapping {@code c} is in, like {@link ConfigNode}'s paths. */
  private static String path(JsonStreamContext c) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext x = c; x.getParent() != null && !x.getParent().inRoot(); x = x.getParent()) {
      JsonStreamContext parent = x.getParent();
      if (parent.inArray()) path.insert(0, "[" + parent.getCurrentIndex() + "]");
      else path.insert(0, (path.length() == 0 || path.charAt(0) == '[' ? "" : ".")).insert(0, parent.getCurrentName());
    }
    return path.toString();
  }

  private static String syntaxProblem(JsonProcessingException e, String text) {
    if (e instanceof StreamConstraintsException) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.contains("nesting depth")) {
        return "the document is nested deeper than " + Json.READ_CONSTRAINTS.getMaxNestingDepth() + " levels";
      }
      return "the document exceeds a parser limit: " + m.replaceAll(" ?\\(?, from `[^`]*`\\)?", ")");
    }
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      Mark mark = m.getProblemMark();
      String problem = m.getProblem() == null ? "syntax error" : m.getProblem();
      if (m.getContext() != null) problem = problem + " (" + m.getContext() + ")";
      return at(mark.getLine() + 1, mark.getColumn() + 1) + withoutSourceText(problem, text, mark.getLine());
    }
    JsonLocation where = e.getLocation();
    String at = where == null || where.getLineNr() < 1 ? "not valid YAML/JSON: "
        : at(where.getLineNr(), Math.max(1, where.getColumnNr()));
    return at + withoutSourceText(String.valueOf(e.getOriginalMessage()), text, where == null ? -1 : where.getLineNr() - 1);
  }

  private static String at(int line, int column) {
    return "not valid YAML/JSON at line " + line + ", column " + column + ": ";
  }

  /**
   * The parser's description, unless it quotes text of the line it points at (a value there may
   * be a secret): then only "syntax error". Descriptions name tokens and single characters, so
   * this rarely hides anything useful.
   */
  private static String withoutSourceText(String problem, String text, int zeroBasedLine) {
    String cut = problem.length() > 200 ? problem.substring(0, 200) + "..." : problem;
    String[] lines = text.split("\\R", -1);
    if (zeroBasedLine < 0 || zeroBasedLine >= lines.length) return cut;
    for (int i = Math.max(0, zeroBasedLine - 1); i <= zeroBasedLine; i++) {
      for (String word : WORD_SEPARATORS.split(lines[i])) {
        if (word.length() >= 4 && cut.contains(word)) return "syntax error";
      }
    }
    return cut;
  }
}
