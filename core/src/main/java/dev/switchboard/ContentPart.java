package dev.switchboard;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** A piece of a user message: {@link Text}, an image by {@link ImageUrl}, or an image as {@link ImageBytes}. */
public sealed interface ContentPart {

  /** Media types every provider accepts for images. */
  Set<String> IMAGE_MEDIA_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  static Text text(String text) {
    return new Text(text);
  }

  static ImageUrl imageUrl(String url) {
    return new ImageUrl(url);
  }

  static ImageBytes image(byte[] data, String mediaType) {
    return new ImageBytes(data, mediaType);
  }

  /** Plain text. */
  record Text(String text) implements ContentPart {
    public Text {
      Objects.requireNonNull(text, "text == null");
    }
  }

  /**
   * An image the provider fetches itself ({@code http(s)://}) or a {@code data:} URL. Some
   * providers (Bedrock) cannot fetch URLs and reject this part with INVALID_REQUEST.
   */
  record ImageUrl(String url) implements ContentPart {
    public ImageUrl {
      Objects.requireNonNull(url, "url == null");
      String lower = url.toLowerCase(Locale.ROOT);
      if (!(lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("data:image/"))) {
        throw new IllegalArgumentException("image url must be http(s) or a data:image/ URL");
      }
    }

    @Override
    public String toString() {
      return "ImageUrl[" + (url.length() > 64 ? url.substring(0, 64) + "…" : url) + "]";
    }
  }

  /** Image bytes with their media type, one of {@link #IMAGE_MEDIA_TYPES}. */
  record ImageBytes(byte[] data, String mediaType) implements ContentPart {
    public ImageBytes {
      Objects.requireNonNull(data, "data == null");
      Objects.requireNonNull(mediaType, "mediaType == null");
      if (data.length == 0) throw new IllegalArgumentException("image data is empty");
      if (!IMAGE_MEDIA_TYPES.contains(mediaType)) {
        throw new IllegalArgumentException(
            "image mediaType '" + mediaType + "' is not one of " + IMAGE_MEDIA_TYPES);
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    /** The image as standard base64, without copying the bytes first. */
    public String base64() {
      return Base64.getEncoder().encodeToString(data);
    }

    /** The short format name ({@code png}, {@code jpeg}, {@code gif}, {@code webp}). */
    public String format() {
      return mediaType.substring("image/".length());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ImageBytes other && mediaType.equals(other.mediaType) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * mediaType.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "ImageBytes[" + mediaType + ", " + data.length + " bytes]";
    }
  }
}
