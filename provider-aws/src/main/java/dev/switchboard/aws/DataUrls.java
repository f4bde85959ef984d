package dev.switchboard.aws;

import dev.switchboard.ContentPart;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code data:image/...;base64,...} URLs, the only image URLs Bedrock can be given (as bytes). */
final class DataUrls {
  private DataUrls() {}

  /** An image's format name ({@code png}, ...) and its bytes as base64. */
  record Image(String format, String base64) {}

  /** The image in a base64 {@code data:} URL of a supported media type; empty for anything else. */
  static Optional<Image> parse(String url) {
    if (!url.regionMatches(true, 0, "data:", 0, 5)) return Optional.empty();
    int comma = url.indexOf(',');
    if (comma < 0) return Optional.empty();
    String meta = url.substring(5, comma).toLowerCase(Locale.ROOT);
    if (!meta.endsWith(";base64")) return Optional.empty();
    String mediaType = meta.substring(0, meta.length() - ";base64".length());
    if (!ContentPart.IMAGE_MEDIA_TYPES.contains(mediaType)) return Optional.empty();
    String data = url.substring(comma + 1).trim();
    try {
      byte[] bytes = Base64.getDecoder().decode(data);
      if (bytes.length == 0) return Optional.empty();
      // Re-encode so that what is sent is canonical base64 whatever padding or line breaks the URL had.
      return Optional.of(new Image(mediaType.substring("image/".length()), Base64.getEncoder().encodeToString(bytes)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
