package dev.switchboard.examples;

import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.Switchboard;
import java.nio.file.Path;

/**
 * The README's quick start, kept compiling: configure from a file, ask, stream. The README's
 * Java block is checked against this file by {@code ReadmeTest}. Run it with a
 * {@code switchboard.yaml} like the README's in the working directory.
 */
public class QuickStart {
  public static void main(String[] args) {
    try (Switchboard sb = Switchboard.fromConfig(Path.of(args.length > 0 ? args[0] : "switchboard.yaml"))) {
      ChatResponse r = sb.chat(ChatRequest.builder("chat").system("Be brief.").user("Why run on two clouds?").build());
      System.out.println(r.text() + "  (served by " + r.servedBy().deployment() + ")");
      try (ChatStream stream = sb.stream(ChatRequest.of("chat", "Count to five."))) {
        for (ChatEvent e : stream) {
          if (e instanceof ChatEvent.TextDelta d) System.out.print(d.text());
        }
        ChatResponse whole = stream.response().join(); // already complete when the loop ends
        System.out.println("\n(" + whole.finishReason() + ", served by " + whole.servedBy().deployment() + ")");
      }
    }
  }
}
