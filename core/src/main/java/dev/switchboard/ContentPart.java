package dev.switchboard;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A piece of a message: {@link Text}, an image by {@link ImageUrl} or as {@link ImageBytes}, a
 * document as {@link DocumentBytes} or by a provider's {@link DocumentFile} id, a video as
 * {@link VideoBytes} or by its {@link VideoS3} location, a {@link Json} value, or a prompt-cache
 * marker ({@link CachePoint}). System and assistant messages take text parts only; user messages
 * take every kind but JSON; tool results ({@link ToolResultMessage}) take text, JSON, images,
 * documents and video.
 */
public sealed interface ContentPart {

  /** Media types every provider accepts for images. */
  Set<String> IMAGE_MEDIA_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  /**
   * Document media types and the short format name Bedrock's {@code document.format} uses; the
   * nine formats Bedrock Converse reads. OpenAI and Azure read PDF files; other formats are sent
   * and the model (or the server) decides.
   */
  Map<String, String> DOCUMENT_FORMATS = Map.of(
      "application/pdf", "pdf",
      "text/csv", "csv",
      "application/msword", "doc",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
      "application/vnd.ms-excel", "xls",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
      "text/html", "html",
      "text/plain", "txt",
      "text/markdown", "md");

  /**
   * Video media types and the format name Bedrock's {@code video.format} uses; the formats Bedrock
   * Converse reads. Only Bedrock reads video: routing skips targets that cannot (see
   * {@code Capabilities.video}).
   */
  Map<String, String> VIDEO_FORMATS = Map.of(
      "video/mp4", "mp4",
      "video/quicktime", "mov",
      "video/x-matroska", "mkv",
      "video/webm", "webm",
      "video/x-flv", "flv",
      "video/mpeg", "mpeg",
      "video/x-ms-wmv", "wmv",
      "video/3gpp", "three_gp");

  static Text text(String text) {
    return new Text(text);
  }

  static ImageUrl imageUrl(String url) {
    return new ImageUrl(url);
  }

  static ImageBytes image(byte[] data, String mediaType) {
    return new ImageBytes(data, mediaType);
  }

  /** A document's bytes, e.g. a PDF, with one of the {@link #DOCUMENT_FORMATS} media types. */
  static DocumentBytes document(byte[] data, String mediaType, String name) {
    return new DocumentBytes(data, mediaType, Optional.of(name));
  }

  /** A document the provider already holds, by its file id (OpenAI / Azure Files API). */
  static DocumentFile documentFile(String fileId) {
    return new DocumentFile(fileId, Optional.empty());
  }

  /** A video's bytes, with one of the {@link #VIDEO_FORMATS} media types. */
  static VideoBytes video(byte[] data, String mediaType) {
    return new VideoBytes(data, mediaType);
  }

  /** A video in Amazon S3 ({@code s3://bucket/key}), with one of the {@link #VIDEO_FORMATS} media types. */
  static VideoS3 videoS3(String uri, String mediaType) {
    return new VideoS3(uri, mediaType, Optional.empty());
  }

  /** A JSON value a tool returned (tool results only): see {@link Json}. */
  static Json json(String json) {
    return new Json(json);
  }

  /** A prompt-cache marker: see {@link CachePoint}. */
  static CachePoint cachePoint() {
    return CachePoint.INSTANCE;
  }

  /**
   * How closely the model should look at an image (OpenAI / Azure {@code image_url.detail});
   * providers without the setting ignore it and say so in the response warnings.
   */
  enum ImageDetail {
    AUTO, LOW, HIGH;

    /** The wire value: {@code auto}, {@code low} or {@code high}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
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
  record ImageUrl(String url, Optional<ImageDetail> detail) implements ContentPart {
    public ImageUrl {
      Objects.requireNonNull(url, "url == null");
      Objects.requireNonNull(detail, "detail == null");
      String lower = url.toLowerCase(Locale.ROOT);
      if (!(lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("data:image/"))) {
        throw new IllegalArgumentException("image url must be http(s) or a data:image/ URL");
      }
    }

    public ImageUrl(String url) {
      this(url, Optional.empty());
    }

    public ImageUrl withDetail(ImageDetail detail) {
      return new ImageUrl(url, Optional.of(Objects.requireNonNull(detail, "detail == null")));
    }

    @Override
    public String toString() {
      return "ImageUrl[" + (url.length() > 64 ? url.substring(0, 64) + "…" : url) + detail.map(d -> ", " + d).orElse("") + "]";
    }
  }

  /** Image bytes with their media type, one of {@link #IMAGE_MEDIA_TYPES}. */
  record ImageBytes(byte[] data, String mediaType, Optional<ImageDetail> detail) implements ContentPart {
    public ImageBytes {
      Objects.requireNonNull(data, "data == null");
      Objects.requireNonNull(mediaType, "mediaType == null");
      Objects.requireNonNull(detail, "detail == null");
      if (data.length == 0) throw new IllegalArgumentException("image data is empty");
      if (!IMAGE_MEDIA_TYPES.contains(mediaType)) {
        throw new IllegalArgumentException(
            "image mediaType '" + mediaType + "' is not one of " + IMAGE_MEDIA_TYPES);
      }
      data = data.clone();
    }

    public ImageBytes(byte[] data, String mediaType) {
      this(data, mediaType, Optional.empty());
    }

    public ImageBytes withDetail(ImageDetail detail) {
      return new ImageBytes(data, mediaType, Optional.of(Objects.requireNonNull(detail, "detail == null")));
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
      return o instanceof ImageBytes other && mediaType.equals(other.mediaType) && detail.equals(other.detail)
          && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * mediaType.hashCode() + detail.hashCode()) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "ImageBytes[" + mediaType + ", " + data.length + " bytes" + detail.map(d -> ", " + d).orElse("") + "]";
    }
  }

  /**
   * A document's bytes: a media type from {@link #DOCUMENT_FORMATS} and an optional file name
   * (OpenAI / Azure {@code file.filename}; Bedrock's required {@code document.name}, which the
   * Bedrock provider derives from it under Bedrock's naming rule, or makes up when absent).
   */
  record DocumentBytes(byte[] data, String mediaType, Optional<String> name) implements ContentPart {
    public DocumentBytes {
      Objects.requireNonNull(data, "data == null");
      Objects.requireNonNull(mediaType, "mediaType == null");
      Objects.requireNonNull(name, "name == null");
      if (data.length == 0) throw new IllegalArgumentException("document data is empty");
      if (!DOCUMENT_FORMATS.containsKey(mediaType)) {
        throw new IllegalArgumentException(
            "document mediaType '" + mediaType + "' is not one of " + DOCUMENT_FORMATS.keySet());
      }
      if (name.isPresent() && name.get().isBlank()) throw new IllegalArgumentException("document name is blank");
      data = data.clone();
    }

    public DocumentBytes(byte[] data, String mediaType) {
      this(data, mediaType, Optional.empty());
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    /** The document as standard base64, without copying the bytes first. */
    public String base64() {
      return Base64.getEncoder().encodeToString(data);
    }

    /** Bedrock's short format name for the media type ({@code pdf}, {@code docx}, …). */
    public String format() {
      return DOCUMENT_FORMATS.get(mediaType);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DocumentBytes other && mediaType.equals(other.mediaType) && name.equals(other.name)
          && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * mediaType.hashCode() + name.hashCode()) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "DocumentBytes[" + mediaType + ", " + data.length + " bytes" + name.map(n -> ", " + n).orElse("") + "]";
    }
  }

  /**
   * A document uploaded to the provider beforehand, by its file id (OpenAI / Azure
   * {@code file.file_id}). Only providers with a Files API can read it; routing skips the others
   * (see {@code Capabilities.documentFileIds}).
   */
  record DocumentFile(String fileId, Optional<String> name) implements ContentPart {
    public DocumentFile {
      if (fileId == null || fileId.isBlank()) throw new IllegalArgumentException("document fileId is blank");
      Objects.requireNonNull(name, "name == null");
      if (name.isPresent() && name.get().isBlank()) throw new IllegalArgumentException("document name is blank");
    }
  }

  /**
   * Marks the end of a prompt prefix worth caching: everything before it (tools, system text,
   * earlier messages and the parts before it in this message) may be reused by the next request
   * that starts the same way. Placed inside a user message's content; for a point after system
   * text, after the tools or after any whole message use {@link ChatRequest.Builder#cachePoint()}
   * and {@link ChatRequest.Builder#cachePointAfterTools()}.
   *
   * <ul>
   *   <li>Bedrock Converse: a {@code cachePoint {type: default}} block at that place (in
   *       {@code messages[].content}, {@code system} or {@code toolConfig.tools}). Bedrock reports
   *       the tokens read from and written to the cache in {@link Usage#cachedInputTokens()} and
   *       {@link Usage#cacheWriteInputTokens()}. Models without prompt caching refuse the request
   *       (Bedrock's ValidationException, INVALID_REQUEST).
   *   <li>OpenAI and Azure OpenAI (Chat Completions and Responses): not sent, and no warning. Both
   *       cache every long prompt prefix on their own (1,024 tokens and more), so the point's purpose
   *       is served without it and the tokens read from the cache still come back in
   *       {@link Usage#cachedInputTokens()}; a warning on every response of a request written to
   *       fail over to Bedrock would only bury the warnings that matter.
   * </ul>
   */
  record CachePoint() implements ContentPart {
    static final CachePoint INSTANCE = new CachePoint();
  }

  /**
   * Video bytes with their media type, one of {@link #VIDEO_FORMATS} (Bedrock {@code video} block,
   * {@code source.bytes}; Bedrock takes up to 25 MB this way, larger videos from S3 with
   * {@link VideoS3}).
   */
  record VideoBytes(byte[] data, String mediaType) implements ContentPart {
    public VideoBytes {
      Objects.requireNonNull(data, "data == null");
      Objects.requireNonNull(mediaType, "mediaType == null");
      if (data.length == 0) throw new IllegalArgumentException("video data is empty");
      requireVideoType(mediaType);
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    /** The video as standard base64, without copying the bytes first. */
    public String base64() {
      return Base64.getEncoder().encodeToString(data);
    }

    /** Bedrock's format name for the media type ({@code mp4}, {@code mov}, …). */
    public String format() {
      return VIDEO_FORMATS.get(mediaType);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof VideoBytes other && mediaType.equals(other.mediaType) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * mediaType.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "VideoBytes[" + mediaType + ", " + data.length + " bytes]";
    }
  }

  /**
   * A video in an Amazon S3 bucket (Bedrock {@code video.source.s3Location}): {@code uri} is
   * {@code s3://bucket/key} under Bedrock's rule for bucket names, {@code bucketOwner} the
   * 12-digit account id when the bucket belongs to another account.
   */
  record VideoS3(String uri, String mediaType, Optional<String> bucketOwner) implements ContentPart {
    private static final java.util.regex.Pattern URI = java.util.regex.Pattern.compile("s3://[a-z0-9][.\\-a-z0-9]{1,61}[a-z0-9](/.*)?");
    private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("[0-9]{12}");

    public VideoS3 {
      Objects.requireNonNull(uri, "uri == null");
      Objects.requireNonNull(mediaType, "mediaType == null");
      Objects.requireNonNull(bucketOwner, "bucketOwner == null");
      if (uri.length() > 1024 || !URI.matcher(uri).matches()) {
        throw new IllegalArgumentException("video uri must be s3://bucket/key with a valid bucket name");
      }
      requireVideoType(mediaType);
      if (bucketOwner.isPresent() && !ACCOUNT.matcher(bucketOwner.get()).matches()) {
        throw new IllegalArgumentException("video bucketOwner must be a 12-digit AWS account id");
      }
    }

    /** This location with the account that owns the bucket. */
    public VideoS3 withBucketOwner(String accountId) {
      return new VideoS3(uri, mediaType, Optional.of(Objects.requireNonNull(accountId, "accountId == null")));
    }

    /** Bedrock's format name for the media type ({@code mp4}, {@code mov}, …). */
    public String format() {
      return VIDEO_FORMATS.get(mediaType);
    }
  }

  /** Whether any of {@code parts} is a video. */
  static boolean anyVideo(java.util.List<? extends ContentPart> parts) {
    for (ContentPart p : parts) {
      if (p instanceof VideoBytes || p instanceof VideoS3) return true;
    }
    return false;
  }

  private static void requireVideoType(String mediaType) {
    if (!VIDEO_FORMATS.containsKey(mediaType)) {
      throw new IllegalArgumentException("video mediaType '" + mediaType + "' is not one of " + VIDEO_FORMATS.keySet());
    }
  }

  /**
   * A JSON value returned by a tool, as JSON text (checked to be one JSON value when built).
   * Bedrock Converse sends it as a {@code json} block of the tool result; OpenAI and Azure
   * (Chat Completions and Responses), whose tool outputs are text, send the JSON text as a text
   * part. Only tool results take JSON parts.
   */
  record Json(String json) implements ContentPart {
    public Json {
      Objects.requireNonNull(json, "json == null");
      dev.switchboard.internal.Json.requireValue(json, "json part");
    }
  }
}
