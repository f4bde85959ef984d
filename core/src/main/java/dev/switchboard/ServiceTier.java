package dev.switchboard;

import java.util.Locale;

/**
 * The processing tier a request asks for: price and latency traded against each other. One
 * setting for every cloud, set with {@link ChatRequest.Builder#serviceTier}; the tier that
 * actually served the answer comes back, as the provider named it, in
 * {@link ChatResponse#serviceTier()} (it may differ from the one asked for).
 *
 * <table>
 *   <caption>What each provider sends</caption>
 *   <tr><th>tier</th><th>OpenAI / Azure OpenAI ({@code service_tier})</th><th>Bedrock Converse ({@code serviceTier.type})</th></tr>
 *   <tr><td>AUTO</td><td>{@code auto}</td><td>not sent, a warning (Bedrock has no auto tier; its default applies)</td></tr>
 *   <tr><td>DEFAULT</td><td>{@code default}</td><td>{@code default}</td></tr>
 *   <tr><td>FLEX</td><td>{@code flex}</td><td>{@code flex}</td></tr>
 *   <tr><td>PRIORITY</td><td>{@code priority}</td><td>{@code priority}</td></tr>
 *   <tr><td>SCALE</td><td>{@code scale}</td><td>not sent, a warning</td></tr>
 *   <tr><td>RESERVED</td><td>not sent, a warning</td><td>{@code reserved}</td></tr>
 * </table>
 *
 * A tier that is not sent never skips a target: the answer is the same, only its price and speed
 * differ.
 */
public enum ServiceTier {
  AUTO, DEFAULT, FLEX, PRIORITY, SCALE, RESERVED;

  /** The name on the wire: {@code auto}, {@code default}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
