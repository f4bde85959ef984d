package dev.switchboard.azure;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Azure's verdict for one content-filter category ({@code hate}, {@code self_harm},
 * {@code jailbreak}, {@code protected_material_text}, a custom blocklist, ...): whether it
 * filtered (blocked) the content, the severity for the harm categories ({@code safe},
 * {@code low}, {@code medium}, {@code high}), whether it detected something for the detection
 * categories, and the ids of custom blocklists that matched.
 */
public record ContentFilterResult(
    boolean filtered, Optional<String> severity, Optional<Boolean> detected, List<String> blocklists) {

  public ContentFilterResult {
    Objects.requireNonNull(severity, "severity == null");
    Objects.requireNonNull(detected, "detected == null");
    blocklists = List.copyOf(blocklists);
  }

  /** Combines two verdicts on parts of one text: filtered or detected if either was, the higher severity. */
  public ContentFilterResult merge(ContentFilterResult other) {
    Optional<String> s = rank(other.severity) > rank(severity) ? other.severity : severity;
    Optional<Boolean> d = detected.isPresent() || other.detected.isPresent()
        ? Optional.of(detected.orElse(false) || other.detected.orElse(false)) : Optional.empty();
    List<String> ids = blocklists;
    if (!other.blocklists.isEmpty()) {
      java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(blocklists);
      all.addAll(other.blocklists);
      ids = List.copyOf(all);
    }
    return new ContentFilterResult(filtered || other.filtered, s, d, ids);
  }

  /** A short description such as {@code medium} or {@code detected}, for messages. */
  String describe() {
    if (severity.isPresent()) return "severity " + severity.get();
    if (detected.orElse(false)) return "detected";
    if (!blocklists.isEmpty()) return "blocklists " + blocklists;
    return filtered ? "filtered" : "not filtered";
  }

  private static int rank(Optional<String> severity) {
    return severity.map(s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "safe" -> 1;
      case "low" -> 2;
      case "medium" -> 3;
      case "high" -> 4;
      default -> 0;
    }).orElse(-1);
  }
}
