package dev.switchboard;

import java.util.Objects;

/** A system (developer) instruction. Providers that take system text apart from the turns get it there. */
public record SystemMessage(String text) implements Message {
  public SystemMessage {
    Objects.requireNonNull(text, "text == null");
  }
}
