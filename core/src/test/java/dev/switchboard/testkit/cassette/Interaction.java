package dev.switchboard.testkit.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** One recorded exchange: its position in the cassette, the request and the response. */
public record Interaction(int index, RecordedRequest request, RecordedResponse response) {
  public Interaction {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(response, "response == null");
  }

  static Interaction read(int index, JsonNode node) {
    JsonNode request = node.get("request");
    JsonNode response = node.get("response");
    if (request == null || response == null) throw new IllegalArgumentException("needs request and response");
    return new Interaction(index, RecordedRequest.read(request), RecordedResponse.read(response));
  }

  @Override
  public String toString() {
    return "#" + index + " " + request.method() + " " + request.uri() + " -> " + response.status();
  }
}
