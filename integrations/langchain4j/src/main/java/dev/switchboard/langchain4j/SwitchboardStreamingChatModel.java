package dev.switchboard.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.switchboard.ChatStream;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A LangChain4j {@link StreamingChatModel} that streams through a {@link Switchboard} model
 * alias. Failover is invisible until the first event reaches the handler (Switchboard's stream
 * contract); text arrives as partial responses, tool calls as partial tool calls (index, id and
 * name on the first fragment) then one complete tool call each, then the complete response.
 *
 * <p>Handler callbacks run on a Switchboard thread. A callback that throws cancels the stream
 * and is reported once to {@code onError}. Cancelling through the streaming handle in a callback's
 * context closes the Switchboard stream and its connection.
 */
public final class SwitchboardStreamingChatModel implements StreamingChatModel {
  private final Switchboard switchboard;
  private final String alias;
  private final ChatRequestParameters defaults;
  private final List<ChatModelListener> listeners;

  private SwitchboardStreamingChatModel(Builder b) {
    this.switchboard = Objects.requireNonNull(b.switchboard, "switchboard == null");
    if (b.alias == null || b.alias.isBlank()) throw new IllegalArgumentException("alias is blank: name a model alias");
    this.alias = b.alias;
    this.defaults = b.defaults == null ? DefaultChatRequestParameters.EMPTY : b.defaults;
    this.listeners = List.copyOf(b.listeners);
  }

  public static SwitchboardStreamingChatModel of(Switchboard switchboard, String alias) {
    return builder().switchboard(switchboard).alias(alias).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    Objects.requireNonNull(handler, "handler == null");
    dev.switchboard.ChatRequest sb;
    ChatStream stream;
    try {
      sb = Requests.toSwitchboard(alias, request);
      stream = switchboard.stream(sb);
    } catch (SwitchboardException | IllegalArgumentException e) {
      handler.onError(Errors.map(e));
      return;
    }
    stream.listen(new StreamBridge(stream, handler));
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
    return ModelProvider.OTHER;
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
  }

  public String alias() {
    return alias;
  }

  @Override
  public String toString() {
    return "SwitchboardStreamingChatModel[alias=" + alias + "]";
  }

  /** Builds a {@link SwitchboardStreamingChatModel}. */
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

    public Builder defaultRequestParameters(ChatRequestParameters defaults) {
      this.defaults = defaults;
      return this;
    }

    public Builder listeners(List<ChatModelListener> listeners) {
      this.listeners = List.copyOf(listeners);
      return this;
    }

    public SwitchboardStreamingChatModel build() {
      return new SwitchboardStreamingChatModel(this);
    }
  }
}
