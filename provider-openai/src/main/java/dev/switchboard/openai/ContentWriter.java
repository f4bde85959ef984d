package dev.switchboard.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.ContentPart;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Writes content parts for both OpenAI wires: one walk over the parts, each API's own part shapes
 * (Chat Completions {@code text} / {@code image_url} / {@code file}; Responses {@code input_text} /
 * {@code input_image} / {@code input_file}). Used for user messages on both, and for a tool
 * result's {@code function_call_output} list on Responses. Cache points are skipped (both APIs
 * cache long prefixes on their own, {@link ContentPart.CachePoint}); a JSON part is sent as its
 * text (neither API has a JSON part); video is refused, which routing makes unreachable by
 * skipping targets without the video capability.
 */
final class ContentWriter {
  enum Api {
    CHAT_COMPLETIONS, RESPONSES;

    String displayName() {
      return this == CHAT_COMPLETIONS ? "Chat Completions" : "the Responses API";
    }
  }

  private ContentWriter() {}

  /** {@code "content"}: a string for one text part (what every server reads), else an array of parts. */
  static void writeContent(JsonGenerator g, Api api, List<ContentPart> parts) throws IOException {
    List<ContentPart> sent = parts.stream().filter(p -> !(p instanceof ContentPart.CachePoint)).toList();
    if (sent.size() == 1 && sent.get(0) instanceof ContentPart.Text t) {
      g.writeStringField("content", t.text());
      return;
    }
    g.writeArrayFieldStart("content");
    writeParts(g, api, sent);
    g.writeEndArray();
  }

  /** Each part as one element of the array being written. */
  static void writeParts(JsonGenerator g, Api api, List<ContentPart> parts) throws IOException {
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.CachePoint) continue;
      g.writeStartObject();
      writePart(g, api, part);
      g.writeEndObject();
    }
  }

  private static void writePart(JsonGenerator g, Api api, ContentPart part) throws IOException {
    boolean chat = api == Api.CHAT_COMPLETIONS;
    if (part instanceof ContentPart.Text t) {
      writeText(g, api, t.text());
    } else if (part instanceof ContentPart.Json j) {
      writeText(g, api, j.json());
    } else if (part instanceof ContentPart.ImageUrl url) {
      writeImage(g, api, url.url(), url.detail());
    } else if (part instanceof ContentPart.ImageBytes img) {
      writeImage(g, api, "data:" + img.mediaType() + ";base64," + img.base64(), img.detail());
    } else if (part instanceof ContentPart.DocumentBytes doc) {
      String data = "data:" + doc.mediaType() + ";base64," + doc.base64();
      if (chat) {
        g.writeStringField("type", "file");
        g.writeObjectFieldStart("file");
        g.writeStringField("file_data", data);
        if (doc.name().isPresent()) g.writeStringField("filename", doc.name().get());
        g.writeEndObject();
      } else {
        g.writeStringField("type", "input_file");
        // The API wants a file name with inline data; one is made up from the media type when none is given.
        g.writeStringField("filename", doc.name().orElse("document." + doc.format()));
        g.writeStringField("file_data", data);
      }
    } else if (part instanceof ContentPart.DocumentFile file) {
      if (chat) {
        g.writeStringField("type", "file");
        g.writeObjectFieldStart("file");
        g.writeStringField("file_id", file.fileId());
        if (file.name().isPresent()) g.writeStringField("filename", file.name().get());
        g.writeEndObject();
      } else {
        g.writeStringField("type", "input_file");
        g.writeStringField("file_id", file.fileId());
        if (file.name().isPresent()) g.writeStringField("filename", file.name().get());
      }
    } else if (part instanceof ContentPart.VideoBytes || part instanceof ContentPart.VideoS3) {
      throw SwitchboardException.of(ErrorKind.INVALID_REQUEST, "video parts are not supported by " + api.displayName()
          + " (OpenAI and Azure OpenAI take no video input); route video to a Bedrock Converse target");
    }
  }

  private static void writeText(JsonGenerator g, Api api, String text) throws IOException {
    g.writeStringField("type", api == Api.CHAT_COMPLETIONS ? "text" : "input_text");
    g.writeStringField("text", text);
  }

  private static void writeImage(JsonGenerator g, Api api, String url, Optional<ContentPart.ImageDetail> detail)
      throws IOException {
    if (api == Api.CHAT_COMPLETIONS) {
      g.writeStringField("type", "image_url");
      g.writeObjectFieldStart("image_url");
      g.writeStringField("url", url);
      if (detail.isPresent()) g.writeStringField("detail", detail.get().wireName());
      g.writeEndObject();
    } else {
      g.writeStringField("type", "input_image");
      g.writeStringField("image_url", url);
      // detail is required on the Responses API; auto is its documented default.
      g.writeStringField("detail", detail.map(ContentPart.ImageDetail::wireName).orElse("auto"));
    }
  }
}
