package dev.switchboard.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Bedrock tool-use ids must match {@code [a-zA-Z0-9_.:-]{1,64}}. Ids from another provider (a
 * conversation that failed over from OpenAI or Azure) usually do; those that do not are mapped to
 * a valid id by a fixed function, so a tool call and its result still pair up.
 */
final class ToolUseIds {
  private ToolUseIds() {}

  static String toBedrock(String id) {
    if (valid(id)) return id;
    StringBuilder cleaned = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) cleaned.append(allowed(id.charAt(i)) ? id.charAt(i) : '_');
    String hash = hash(id);
    String prefix = cleaned.substring(0, Math.min(cleaned.length(), 64 - hash.length() - 1));
    return prefix + "-" + hash;
  }

  /** {@code [a-zA-Z0-9_.:-]{1,64}}, without a regex: every tool call and result of every request passes here. */
  static boolean valid(String id) {
    if (id.isEmpty() || id.length() > 64) return false;
    for (int i = 0; i < id.length(); i++) {
      if (!allowed(id.charAt(i))) return false;
    }
    return true;
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-';
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
