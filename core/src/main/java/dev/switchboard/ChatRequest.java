package dev.switchboard;

import java.time.Duration;
import java.util.ArrayList;
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
 * A chat request addressed to a model alias, or directly to one deployment and model. Immutable;
 * build one with {@link #builder(String)}.
 *
 * <p><b>Direct targets.</b> {@code ChatRequest.builder().target("azure-east", "gpt-4o-mini")}
 * sends the request to that deployment and provider-side model without declaring an alias: the
 * escape hatch for one-off calls (an evaluation, a model the configuration does not list). Such a
 * call still gets the deadline, retries on the same target (the default routing policy's retry),
 * circuit breaker, bulkhead, listeners and metrics ({@code model} is then the target's model,
 * which is what metrics report as the requested model). It never fails over: declare a
 * {@link ModelAlias} with several targets for that.
 *
 * <p><b>Validation rule:</b> every value is checked when the request is built, and a bad value is
 * rejected with an {@link IllegalArgumentException} naming the field, before any network call.
 * Limitations of one provider that only show once a target is chosen (an image URL sent to
 * Bedrock, say) are reported as a {@link SwitchboardException} of kind
 * {@link ErrorKind#INVALID_REQUEST}.
 *
 * <p>{@code providerOptions} holds settings only one provider understands, namespaced by provider
 * type ({@code "openai"}, {@code "azure-openai"}, {@code "bedrock"}); each provider reads its own
 * namespace and ignores the others. Values must be JSON-like (strings, numbers, booleans, lists,
 * maps, or a Jackson tree), nested at most {@value #MAX_OPTION_DEPTH} levels and without cycles;
 * maps and lists are copied, so later changes to them do not reach the request.
 */
public record ChatRequest(
    String model,
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
    Optional<Duration> timeout,
    Map<String, Map<String, Object>> providerOptions,
    Optional<Target> target,
    Optional<ReasoningSettings> reasoning,
    OptionalInt topK,
    Optional<Boolean> parallelToolCalls,
    CachePoints cachePoints,
    Optional<ServiceTier> serviceTier) {

  /** How deeply an option value may nest maps and lists: {@value}. */
  public static final int MAX_OPTION_DEPTH = 64;

  public ChatRequest {
    Objects.requireNonNull(target, "target == null");
    // A direct request is named by its target: its model is the target's.
    if (target.isPresent()) model = target.get().model();
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model is blank: name a model alias, or a deployment and model with target(...)");
    }
    Objects.requireNonNull(messages, "messages == null");
    messages = List.copyOf(messages);
    if (messages.isEmpty()) throw new IllegalArgumentException("messages is empty: a request needs at least one message");
    Objects.requireNonNull(temperature, "temperature == null");
    if (temperature.isPresent() && !(temperature.getAsDouble() >= 0 && temperature.getAsDouble() <= 2)) {
      throw new IllegalArgumentException("temperature " + temperature.getAsDouble() + " is outside [0, 2]");
    }
    Objects.requireNonNull(topP, "topP == null");
    if (topP.isPresent() && !(topP.getAsDouble() > 0 && topP.getAsDouble() <= 1)) {
      throw new IllegalArgumentException("topP " + topP.getAsDouble() + " is outside (0, 1]");
    }
    Objects.requireNonNull(maxTokens, "maxTokens == null");
    if (maxTokens.isPresent() && maxTokens.getAsInt() <= 0) {
      throw new IllegalArgumentException("maxTokens " + maxTokens.getAsInt() + " must be positive");
    }
    stop = List.copyOf(stop);
    Objects.requireNonNull(seed, "seed == null");
    Objects.requireNonNull(user, "user == null");
    tools = List.copyOf(tools);
    Objects.requireNonNull(toolChoice, "toolChoice == null");
    Objects.requireNonNull(responseFormat, "responseFormat == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
      throw new IllegalArgumentException("timeout " + timeout.get() + " must be positive");
    }
    providerOptions = copyOptions(providerOptions);
    Objects.requireNonNull(reasoning, "reasoning == null");
    Objects.requireNonNull(topK, "topK == null");
    if (topK.isPresent() && topK.getAsInt() <= 0) throw new IllegalArgumentException("topK " + topK.getAsInt() + " must be positive");
    Objects.requireNonNull(parallelToolCalls, "parallelToolCalls == null");
    Objects.requireNonNull(cachePoints, "cachePoints == null");
    Objects.requireNonNull(serviceTier, "serviceTier == null");
    if (cachePoints.afterTools() && tools.isEmpty()) {
      throw new IllegalArgumentException("cachePointAfterTools() is set, but the request declares no tools");
    }
    for (int index : cachePoints.afterMessages()) {
      if (index >= messages.size()) {
        throw new IllegalArgumentException("cache point after messages[" + index + "], but the request has "
            + messages.size() + " messages");
      }
    }
    validateToolUse(tools, toolChoice, messages);
  }

  /** Starts a request for {@code model}, a model alias configured on the {@link Switchboard}. */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** Starts a request that names neither alias nor target yet: call {@link Builder#target} or {@link Builder#model}. */
  public static Builder builder() {
    return new Builder((String) null);
  }

  /** A request with one user message. */
  public static ChatRequest of(String model, String userText) {
    return builder(model).user(userText).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
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

  private static void validateToolUse(List<ToolDefinition> tools, Optional<ToolChoice> toolChoice, List<Message> messages) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (ToolDefinition t : tools) {
      if (!names.add(t.name())) throw new IllegalArgumentException("tools: duplicate tool name '" + t.name() + "'");
    }
    toolChoice.flatMap(ToolChoice::toolName).ifPresent(name -> {
      if (!names.contains(name)) throw new IllegalArgumentException("toolChoice names tool '" + name + "', which is not in tools");
    });
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i) == null) throw new IllegalArgumentException("messages[" + i + "] is null");
    }
  }

  private static Map<String, Map<String, Object>> copyOptions(Map<String, Map<String, Object>> options) {
    Objects.requireNonNull(options, "providerOptions == null");
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    options.forEach((ns, values) -> {
      if (ns == null || ns.isBlank()) throw new IllegalArgumentException("providerOptions namespace is blank");
      Objects.requireNonNull(values, "providerOptions '" + ns + "' == null");
      Map<String, Object> inner = new LinkedHashMap<>();
      values.forEach((k, v) -> inner.put(k, copyOption(v, ns, k, 1, new java.util.IdentityHashMap<>())));
      copy.put(ns, Collections.unmodifiableMap(inner));
    });
    return Collections.unmodifiableMap(copy);
  }

  /**
   * A copy of one option value whose maps and lists are unmodifiable copies, so that the checked
   * value is the one sent. A value nested deeper than {@link #MAX_OPTION_DEPTH}, or one that
   * contains itself, is refused here: serialising it later would overflow the stack inside a
   * provider.
   */
  private static Object copyOption(Object value, String ns, String key, int depth, java.util.IdentityHashMap<Object, Boolean> open) {
    boolean container = value instanceof Map<?, ?> || value instanceof java.util.Collection<?> || value instanceof Object[]
        || (value instanceof com.fasterxml.jackson.databind.JsonNode n && n.isContainerNode());
    if (!container) return value;
    if (open.put(value, Boolean.TRUE) != null) {
      throw new IllegalArgumentException("providerOptions '" + ns + "' option '" + key + "' contains itself (a cycle);"
          + " option values must be trees of maps, lists and plain values");
    }
    if (depth > MAX_OPTION_DEPTH) {
      throw new IllegalArgumentException("providerOptions '" + ns + "' option '" + key + "' is nested deeper than "
          + MAX_OPTION_DEPTH + " levels, the limit for an option value");
    }
    Object out;
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> c = new LinkedHashMap<>();
      m.forEach((k, v) -> c.put(k, copyOption(v, ns, key, depth + 1, open)));
      out = Collections.unmodifiableMap(c);
    } else if (value instanceof List<?> l) {
      List<Object> c = new ArrayList<>(l.size());
      l.forEach(v -> c.add(copyOption(v, ns, key, depth + 1, open)));
      out = Collections.unmodifiableList(c);
    } else if (value instanceof java.util.Collection<?> c) {
      c.forEach(v -> copyOption(v, ns, key, depth + 1, open)); // checked, kept as given (a set stays a set)
      out = value;
    } else if (value instanceof Object[] a) {
      for (Object v : a) copyOption(v, ns, key, depth + 1, open);
      out = value;
    } else {
      ((com.fasterxml.jackson.databind.JsonNode) value).forEach(v -> copyOption(v, ns, key, depth + 1, open));
      out = value;
    }
    open.remove(value);
    return out;
  }

  @Override
  public String toString() {
    // Prompt text stays out of toString: it may hold personal data and lands in logs.
    return "ChatRequest[" + target.map(t -> "target=" + t.deployment() + "/" + t.model()).orElse("model=" + model)
        + ", messages=" + messages.size() + ", tools=" + tools.size()
        + ", responseFormat=" + responseFormat.getClass().getSimpleName() + "]";
  }

  /** Builds a {@link ChatRequest}. */
  public static final class Builder {
    private String model;
    private final List<Message> messages = new ArrayList<>();
    private OptionalDouble temperature = OptionalDouble.empty();
    private OptionalDouble topP = OptionalDouble.empty();
    private OptionalInt maxTokens = OptionalInt.empty();
    private List<String> stop = List.of();
    private OptionalLong seed = OptionalLong.empty();
    private Optional<String> user = Optional.empty();
    private final List<ToolDefinition> tools = new ArrayList<>();
    private Optional<ToolChoice> toolChoice = Optional.empty();
    private ResponseFormat responseFormat = ResponseFormat.text();
    private Optional<Duration> timeout = Optional.empty();
    private final Map<String, Map<String, Object>> providerOptions = new LinkedHashMap<>();
    private Optional<Target> target = Optional.empty();
    private Optional<ReasoningSettings> reasoning = Optional.empty();
    private OptionalInt topK = OptionalInt.empty();
    private Optional<Boolean> parallelToolCalls = Optional.empty();
    private CachePoints cachePoints = CachePoints.NONE;
    private Optional<ServiceTier> serviceTier = Optional.empty();

    private Builder(String model) {
      this.model = model;
    }

    private Builder(ChatRequest r) {
      model = r.model;
      messages.addAll(r.messages);
      temperature = r.temperature;
      topP = r.topP;
      maxTokens = r.maxTokens;
      stop = r.stop;
      seed = r.seed;
      user = r.user;
      tools.addAll(r.tools);
      toolChoice = r.toolChoice;
      responseFormat = r.responseFormat;
      timeout = r.timeout;
      r.providerOptions.forEach((k, v) -> providerOptions.put(k, new LinkedHashMap<>(v)));
      target = r.target;
      reasoning = r.reasoning;
      topK = r.topK;
      parallelToolCalls = r.parallelToolCalls;
      cachePoints = r.cachePoints;
      serviceTier = r.serviceTier;
    }

    /** Addresses the request to model alias {@code model} (and forgets a target set before). */
    public Builder model(String model) {
      this.model = model;
      this.target = Optional.empty();
      return this;
    }

    /**
     * Addresses the request directly to {@code model} (the provider-side model id, or Azure
     * deployment name) on deployment {@code deployment}, without an alias; see the class comment.
     */
    public Builder target(String deployment, String model) {
      return target(Target.of(deployment, model));
    }

    /** {@link #target(String, String)} with routing hints (a price for cost metrics, a region, a context window). */
    public Builder target(Target target) {
      this.target = Optional.of(Objects.requireNonNull(target, "target == null"));
      this.model = target.model();
      return this;
    }

    public Builder message(Message message) {
      messages.add(Objects.requireNonNull(message, "message == null"));
      return this;
    }

    public Builder messages(List<? extends Message> messages) {
      messages.forEach(this::message);
      return this;
    }

    public Builder system(String text) {
      return message(Message.system(text));
    }

    public Builder user(String text) {
      return message(Message.user(text));
    }

    public Builder temperature(double temperature) {
      this.temperature = OptionalDouble.of(temperature);
      return this;
    }

    public Builder topP(double topP) {
      this.topP = OptionalDouble.of(topP);
      return this;
    }

    public Builder maxTokens(int maxTokens) {
      this.maxTokens = OptionalInt.of(maxTokens);
      return this;
    }

    public Builder stop(List<String> stop) {
      this.stop = List.copyOf(stop);
      return this;
    }

    public Builder seed(long seed) {
      this.seed = OptionalLong.of(seed);
      return this;
    }

    /** An end-user id some providers use for abuse monitoring (OpenAI {@code user}). */
    public Builder endUser(String userId) {
      this.user = Optional.of(Objects.requireNonNull(userId, "userId == null"));
      return this;
    }

    public Builder tool(ToolDefinition tool) {
      tools.add(Objects.requireNonNull(tool, "tool == null"));
      return this;
    }

    public Builder tools(List<ToolDefinition> tools) {
      tools.forEach(this::tool);
      return this;
    }

    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = Optional.of(Objects.requireNonNull(toolChoice, "toolChoice == null"));
      return this;
    }

    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat == null");
      return this;
    }

    /**
     * How much a reasoning model should think: see {@link ReasoningSettings} for what each provider
     * sends, e.g. {@code reasoning(ReasoningSettings.effort(Effort.LOW))} or
     * {@code reasoning(ReasoningSettings.budget(2048))}.
     */
    public Builder reasoning(ReasoningSettings reasoning) {
      this.reasoning = Optional.of(Objects.requireNonNull(reasoning, "reasoning == null"));
      return this;
    }

    /**
     * Samples from the {@code topK} most likely tokens only. Bedrock sends it for the model families
     * that have it (Anthropic {@code top_k}, Amazon Nova {@code inferenceConfig.topK}); OpenAI's APIs
     * have no such field, so there (and on other Bedrock families) it becomes a warning.
     */
    public Builder topK(int topK) {
      this.topK = OptionalInt.of(topK);
      return this;
    }

    /**
     * Whether the model may call several tools in one turn (OpenAI {@code parallel_tool_calls}; sent
     * only with tools). Bedrock Converse has no switch for it: {@code false} there is a warning.
     */
    public Builder parallelToolCalls(boolean allowed) {
      this.parallelToolCalls = Optional.of(allowed);
      return this;
    }

    /**
     * Marks the end of the message added last (system text included) as the end of a prompt prefix
     * worth caching; see {@link ContentPart.CachePoint} for what each provider does with it. Inside a
     * user message, put {@link ContentPart#cachePoint()} among its parts instead.
     *
     * @throws IllegalStateException when no message was added yet
     */
    public Builder cachePoint() {
      if (messages.isEmpty()) {
        throw new IllegalStateException("cachePoint() marks the end of the message added last, but no message was added yet");
      }
      cachePoints = cachePoints.withAfterMessage(messages.size() - 1);
      return this;
    }

    /**
     * Marks the end of the tool definitions as the end of a prompt prefix worth caching (Bedrock:
     * a {@code cachePoint} after {@code toolConfig.tools}); {@link #build()} refuses it when the
     * request declares no tools.
     */
    public Builder cachePointAfterTools() {
      cachePoints = cachePoints.withAfterTools();
      return this;
    }

    /**
     * The processing tier to ask for (OpenAI / Azure {@code service_tier}, Bedrock
     * {@code serviceTier}); a tier a provider lacks is not sent there and becomes a warning. See
     * {@link ServiceTier}.
     */
    public Builder serviceTier(ServiceTier serviceTier) {
      this.serviceTier = Optional.of(Objects.requireNonNull(serviceTier, "serviceTier == null"));
      return this;
    }

    /** The whole call's deadline, retries and failover included. */
    public Builder timeout(Duration timeout) {
      this.timeout = Optional.of(Objects.requireNonNull(timeout, "timeout == null"));
      return this;
    }

    /** Sets one option in {@code providerType}'s namespace. */
    public Builder providerOption(String providerType, String key, Object value) {
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(value, "value == null");
      providerOptions.computeIfAbsent(providerType, k -> new LinkedHashMap<>()).put(key, value);
      return this;
    }

    public ChatRequest build() {
      return new ChatRequest(model, messages, temperature, topP, maxTokens, stop, seed, user, tools,
          toolChoice, responseFormat, timeout, providerOptions, target, reasoning, topK, parallelToolCalls, cachePoints, serviceTier);
    }
  }
}
