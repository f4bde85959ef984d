package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ToolUseIdsTest {
  /** Bedrock's documented constraint on toolUseId. */
  private static final Pattern BEDROCK = Pattern.compile("[a-zA-Z0-9_.:-]{1,64}");

  @Test
  void validIdsPassUnchangedAndOthersBecomeValidStableAndDistinct() {
    assertThat(ToolUseIds.toBedrock("call_abc123")).isEqualTo("call_abc123");
    assertThat(ToolUseIds.toBedrock("tooluse_Xy-9.z:1")).isEqualTo("tooluse_Xy-9.z:1");
    String mapped = ToolUseIds.toBedrock("call 1/ä");
    assertThat(mapped).matches(BEDROCK).startsWith("call_1__-").isEqualTo(ToolUseIds.toBedrock("call 1/ä"));
    assertThat(ToolUseIds.toBedrock("call 1/ö")).isNotEqualTo(mapped);
    assertThat(ToolUseIds.toBedrock("x".repeat(65))).matches(BEDROCK);
    assertThat(ToolUseIds.toBedrock("")).matches(BEDROCK);
  }

  @Test
  void theHandWrittenCheckAgreesWithBedrocksPattern() {
    Random random = new Random(42);
    String alphabet = "aZ09_.:- /\u00e4\u20ac";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder id = new StringBuilder();
      int length = random.nextInt(70);
      for (int i = 0; i < length; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String s = id.toString();
      assertThat(ToolUseIds.valid(s)).as(s).isEqualTo(BEDROCK.matcher(s).matches());
      assertThat(ToolUseIds.toBedrock(s)).as(s).matches(BEDROCK);
    }
  }
}
