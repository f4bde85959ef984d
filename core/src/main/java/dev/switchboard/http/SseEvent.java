package dev.switchboard.http;

import java.util.Objects;

/** One server-sent event: its type ({@code message} unless named), data lines joined by {@code \n}, and last id. */
public record SseEvent(String event, String data, String id) {
  public SseEvent {
    Objects.requireNonNull(event, "event == null");
    Objects.requireNonNull(data, "data == null");
    Objects.requireNonNull(id, "id == null");
  }
}
