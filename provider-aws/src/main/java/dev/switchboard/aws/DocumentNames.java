package dev.switchboard.aws;

import java.util.Optional;

/**
 * Bedrock's rule for {@code document.name} (service-2.json, {@code DocumentBlock.name}): 1–200
 * characters, only letters, digits, single whitespace characters, hyphens, parentheses and
 * square brackets. A file name such as {@code "Q3 report_final.pdf"} becomes
 * {@code "Q3 report-final-pdf"}; a missing or unusable name becomes {@code "document-N"}.
 */
final class DocumentNames {
  private DocumentNames() {}

  static String forBedrock(Optional<String> name, int position) {
    String fallback = "document-" + position;
    if (name.isEmpty()) return fallback;
    StringBuilder sb = new StringBuilder(Math.min(200, name.get().length()));
    boolean lastSpace = false;
    for (int i = 0; i < name.get().length() && sb.length() < 200; i++) {
      char c = name.get().charAt(i);
      if (Character.isWhitespace(c)) {
        if (!lastSpace && sb.length() > 0) sb.append(' ');
        lastSpace = true;
        continue;
      }
      lastSpace = false;
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '(' || c == ')' || c == '[' || c == ']';
      sb.append(allowed ? c : '-');
    }
    String out = sb.toString().strip();
    return out.isEmpty() ? fallback : out;
  }
}
