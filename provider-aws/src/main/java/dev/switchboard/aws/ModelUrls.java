package dev.switchboard.aws;

import dev.switchboard.ErrorKind;
import dev.switchboard.http.ErrorContext;
import java.nio.charset.StandardCharsets;
import okhttp3.HttpUrl;

/**
 * Builds {@code {endpoint}/model/{modelId}/{operation}} with the model id as exactly one path
 * segment. The id is percent-encoded strictly (everything but RFC 3986 unreserved characters), as
 * the AWS SDKs do: {@code :} and {@code /} in inference-profile ids and ARNs become {@code %3A} and
 * {@code %2F}, and {@code ?}, {@code #}, {@code %}, spaces or non-ASCII text cannot change the path
 * or the query. OkHttp keeps valid escapes as they are, so the path on the wire is exactly the one
 * the SigV4 signer encodes again for its canonical request.
 */
final class ModelUrls {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ModelUrls() {}

  static HttpUrl operation(HttpUrl endpoint, String modelId, String operation, ErrorContext context) {
    if (modelId.equals(".") || modelId.equals("..")) {
      throw context.error(ErrorKind.INVALID_REQUEST, "model id '" + modelId + "' is not a Bedrock model id").build();
    }
    return endpoint.newBuilder()
        .addPathSegment("model")
        .addEncodedPathSegment(encode(modelId))
        .addPathSegment(operation)
        .build();
  }

  /** Percent-encodes every byte of the UTF-8 form except {@code A-Z a-z 0-9 - _ . ~}. */
  static String encode(String segment) {
    byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }
}
