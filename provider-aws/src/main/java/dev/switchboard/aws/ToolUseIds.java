package dev.switchboard.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Bedrock tool-use ids must match {@code [a-zA-Z0-9_.:-]{1,64}}. Ids from another provider (a
 * conversation that failed over from OpenAI or Azure) usually do; those that do not are mapped to
 * a valid id by a fixed function, so a tool call and its result still pair up.
 */
final class ToolUseIds {
  private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_.:-]{1,64}");

  private ToolUseIds() {}

  static String toBedrock(String id) {
    if (VALID.matcher(id).matches()) return id;
    String cleaned = id.replaceAll("[^a-zA-Z0-9_.:-]", "_");
    String hash = hash(id);
    String prefix = cleaned.substring(0, Math.min(cleaned.length(), 64 - hash.length() - 1));
    return prefix + "-" + hash;
  }

  private static String hash(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
