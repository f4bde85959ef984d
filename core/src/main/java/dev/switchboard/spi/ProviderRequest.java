package dev.switchboard.spi;

import dev.switchboard.CachePoints;
import dev.switchboard.ChatRequest;
import dev.switchboard.Message;
import dev.switchboard.ReasoningSettings;
import dev.switchboard.ResponseFormat;
import dev.switchboard.ServiceTier;
import dev.switchboard.ToolChoice;
import dev.switchboard.ToolDefinition;
import dev.switchboard.UserMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a provider is asked to send: the part of a user's {@link ChatRequest} a model sees, without
 * the fields only the engine reads ({@code model}, {@code timeout}, {@code target}: the resolved
 * model or deployment arrives as {@link ProviderCall#target()}, the time left as
 * {@link ProviderCall#timeout()}). It is a separate type so that the user API can grow without
 * changing what providers receive: a new {@code ChatRequest} field reaches providers only when it
 * is added here, with a new {@link ProviderFactory#SPEC_VERSION}.
 *
 * <p>The engine builds one with {@link #from(ChatRequest)} per call, after the request was
 * validated; every attempt of the call receives the same instance. Each field means what the
 * {@code ChatRequest} field of the same name means. The constructor only checks for nulls and
 * copies lists and option maps; the value rules are {@code ChatRequest}'s.
 */
public record ProviderRequest(
    List<Message> messages,
    OptionalDouble temperature,
    OptionalDouble topP,
    OptionalInt maxTokens,
    List<String> stop,
    OptionalLong seed,
    Optional<String> user,
    List<ToolDefinition> tools,
    Optional<ToolChoice> toolChoice,
    ResponseFormat responseFormat,
    Map<String, Map<String, Object>> providerOptions,
    Optional<ReasoningSettings> reasoning,
    OptionalInt topK,
    Optional<Boolean> parallelToolCalls,
    CachePoints cachePoints,
    Optional<ServiceTier> serviceTier) {

  public ProviderRequest {
    messages = List.copyOf(messages);
    Objects.requireNonNull(temperature, "temperature == null");
    Objects.requireNonNull(topP, "topP == null");
    Objects.requireNonNull(maxTokens, "maxTokens == null");
    stop = List.copyOf(stop);
    Objects.requireNonNull(seed, "seed == null");
    Objects.requireNonNull(user, "user == null");
    tools = List.copyOf(tools);
    Objects.requireNonNull(toolChoice, "toolChoice == null");
    Objects.requireNonNull(responseFormat, "responseFormat == null");
    providerOptions = copyOptions(providerOptions);
    Objects.requireNonNull(reasoning, "reasoning == null");
    Objects.requireNonNull(topK, "topK == null");
    Objects.requireNonNull(parallelToolCalls, "parallelToolCalls == null");
    Objects.requireNonNull(cachePoints, "cachePoints == null");
    Objects.requireNonNull(serviceTier, "serviceTier == null");
  }

  /** The provider's view of a validated user request: every field but {@code model}, {@code timeout} and {@code target}. */
  public static ProviderRequest from(ChatRequest r) {
    Objects.requireNonNull(r, "request == null");
    return new ProviderRequest(r.messages(), r.temperature(), r.topP(), r.maxTokens(), r.stop(), r.seed(), r.user(),
        r.tools(), r.toolChoice(), r.responseFormat(), r.providerOptions(), r.reasoning(), r.topK(),
        r.parallelToolCalls(), r.cachePoints(), r.serviceTier());
  }

  /** The options under one provider's namespace; empty if none. */
  public Map<String, Object> providerOptions(String providerType) {
    return providerOptions.getOrDefault(providerType, Map.of());
  }

  /** Whether any user message carries an image. */
  public boolean hasImages() {
    for (Message m : messages) {
      if (m instanceof UserMessage u && u.hasImages()) return true;
    }
    return false;
  }

  // Insertion order is kept (providers copy options into bodies in the order given); values were
  // checked and deep-copied by ChatRequest, so only the two map levels are copied here.
  private static Map<String, Map<String, Object>> copyOptions(Map<String, Map<String, Object>> options) {
    Objects.requireNonNull(options, "providerOptions == null");
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    options.forEach((ns, values) -> {
      Objects.requireNonNull(ns, "providerOptions namespace == null");
      Objects.requireNonNull(values, "providerOptions '" + ns + "' == null");
      copy.put(ns, Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    });
    return Collections.unmodifiableMap(copy);
  }

  @Override
  public String toString() {
    // Prompt text stays out of toString: it may hold personal data and lands in logs.
    return "ProviderRequest[messages=" + messages.size() + ", tools=" + tools.size()
        + ", responseFormat=" + responseFormat.getClass().getSimpleName() + "]";
  }
}
