package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ChatRequest;
import dev.switchboard.ContentPart;
import dev.switchboard.Message;
import org.junit.jupiter.api.Test;

/** A tool result's parts count toward the estimate: text and JSON by their characters, each image, document or video as an image. */
class TokenEstimatorToolResultTest {
  @Test
  void toolResultPartsAreCounted() {
    int textOnly = TokenEstimator.estimateInput(ChatRequest.builder("a").message(Message.toolResult("c1", "x".repeat(400))).build());
    int parts = TokenEstimator.estimateInput(ChatRequest.builder("a").message(Message.toolResult("c1",
        ContentPart.text("x".repeat(200)), ContentPart.json("[" + "1,".repeat(98) + "11]"),
        ContentPart.image(new byte[] {1}, "image/png"), ContentPart.video(new byte[] {1}, "video/mp4"))).build());
    // 400 characters either way (the JSON text is 200), plus two media parts.
    assertThat(parts - textOnly).isEqualTo(2 * TokenEstimator.TOKENS_PER_IMAGE);
  }
}
