package dev.switchboard.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} that answers through a {@link Switchboard} model alias, so
 * routing, retries, circuit breakers and failover apply to every call LangChain4j makes (AI
 * Services included). The Switchboard is not owned: close it yourself.
 *
 * <p>Errors arrive as LangChain4j's exception types chosen by {@link dev.switchboard.ErrorKind},
 * with the {@link SwitchboardException} (and its attempts) as cause. The response's metadata is a
 * {@link SwitchboardChatResponseMetadata} naming the target that served and the attempt trace.
 */
public final class SwitchboardChatModel implements ChatModel {
  private final Switchboard switchboard;
  private final String alias;
  private final ChatRequestParameters defaults;
  private final List<ChatModelListener> listeners;

  private SwitchboardChatModel(Builder b) {
    this.switchboard = Objects.requireNonNull(b.switchboard, "switchboard == null");
    if (b.alias == null || b.alias.isBlank()) throw new IllegalArgumentException("alias is blank: name a model alias");
    this.alias = b.alias;
    this.defaults = b.defaults == null ? DefaultChatRequestParameters.EMPTY : b.defaults;
    this.listeners = List.copyOf(b.listeners);
  }

  /** A model for {@code alias}, one of the model aliases configured on {@code switchboard}. */
  public static SwitchboardChatModel of(Switchboard switchboard, String alias) {
    return builder().switchboard(switchboard).alias(alias).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    dev.switchboard.ChatRequest sb = Requests.toSwitchboard(alias, request);
    try {
      return Responses.toLangChain4j(switchboard.chat(sb));
    } catch (SwitchboardException e) {
      throw Errors.map(e);
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return defaults;
  }

  @Override
  public List<ChatModelListener> listeners() {
    return listeners;
  }

  @Override
  public ModelProvider provider() {
    // Several providers stand behind one alias; which one served is in the response metadata.
    return ModelProvider.OTHER;
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    // Every Switchboard provider honours a JSON schema (Bedrock through a forced tool).
    return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
  }

  /** The model alias this model sends to. */
  public String alias() {
    return alias;
  }

  @Override
  public String toString() {
    return "SwitchboardChatModel[alias=" + alias + "]";
  }

  /** Builds a {@link SwitchboardChatModel}. */
  public static final class Builder {
    private Switchboard switchboard;
    private String alias;
    private ChatRequestParameters defaults;
    private List<ChatModelListener> listeners = List.of();

    private Builder() {}

    public Builder switchboard(Switchboard switchboard) {
      this.switchboard = switchboard;
      return this;
    }

    public Builder alias(String alias) {
      this.alias = alias;
      return this;
    }

    /** Parameters applied to every request that does not set them (temperature, max tokens, ...). */
    public Builder defaultRequestParameters(ChatRequestParameters defaults) {
      this.defaults = defaults;
      return this;
    }

    public Builder listeners(List<ChatModelListener> listeners) {
      this.listeners = List.copyOf(listeners);
      return this;
    }

    public SwitchboardChatModel build() {
      return new SwitchboardChatModel(this);
    }
  }
}
