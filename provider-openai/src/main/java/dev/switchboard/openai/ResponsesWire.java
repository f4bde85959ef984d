package dev.switchboard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.AssistantMessage;
import dev.switchboard.ChatResponse;
import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.Usage;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI Responses API ({@code POST …/responses}) as a {@link ChatWire}, for deployments with
 * {@code api: responses}. It maps onto the same request, response and event model as Chat
 * Completions. Thread-safe.
 *
 * <p>Request: system messages before the first other message become {@code instructions}
 * (joined by a blank line); a later system message stays in place as a {@code system} input
 * message. User messages become input messages of {@code input_text}, {@code input_image}
 * ({@code detail} as given, else {@code auto}) and {@code input_file} ({@code file_data} as a data
 * URL with its file name, made up from the media type when absent, or {@code file_id}); an
 * assistant turn becomes an assistant message with its text and one {@code function_call} item
 * per tool call (keyed by {@code call_id}); a tool result a {@code function_call_output}. Tools
 * are flat function tools with {@code strict} always written (the API makes a tool without it
 * strict); {@code tool_choice}; JSON output as {@code text.format}; {@code maxTokens} as
 * {@code max_output_tokens}; {@code temperature}, {@code top_p}, {@code user}.
 * {@code store: false} is sent unless the {@code store} provider option says otherwise: Switchboard
 * assumes no server-side state, sends the whole conversation each time, and so a call that fails
 * over to another deployment or cloud never depends on a {@code previous_response_id} the other
 * side does not have (nor does it leave stored responses behind). The typed
 * {@code ChatRequest.reasoning} becomes {@code reasoning} ({@code effort}, {@code summary}; a token
 * budget has no field here and is dropped with a warning) and {@code ChatRequest.serviceTier}
 * becomes {@code service_tier}. Other {@code providerOptions(type)} entries are copied as top-level
 * fields; that is the way to send what {@code ChatRequest} has no field for: {@code include}
 * entries of your own (merged with the one added for reasoning, below), {@code text.verbosity}
 * (when no JSON format is set) or {@code truncation}.
 *
 * <p>Refused when the request is encoded (INVALID_REQUEST, naming the reason): a provider option
 * {@code tools} (built-in tools such as web or file search are out of scope; only function
 * tools), {@code previous_response_id}, {@code conversation}, {@code prompt} (server-side state)
 * and {@code background} (needs polling). Dropped with a warning on the response: {@code stop}
 * and {@code seed} (the API has neither) and an assistant refusal in the history.
 *
 * <p>Response: the text of every {@code output_text} part of the {@code message} items joined
 * (as the SDKs' {@code output_text}); {@code refusal} parts as the message's refusal;
 * {@code function_call} items as tool calls (finish TOOL_CALLS); {@code incomplete_details.reason}
 * {@code max_output_tokens} → LENGTH and {@code content_filter} → CONTENT_FILTER, and that reason
 * (else the {@code status}, e.g. {@code completed}) as {@code rawFinishReason}; usage with
 * {@code input_tokens_details.cached_tokens} and {@code output_tokens_details.reasoning_tokens};
 * {@code reasoning} items as the message's {@link dev.switchboard.Reasoning} blocks (wire
 * RESPONSES: id, summary parts, {@code reasoning_text} content, {@code encrypted_content}), which
 * an assistant turn of a replayed conversation sends back unchanged as input {@code reasoning}
 * items ahead of its text and calls (reasoning of another wire is left out with a warning); with
 * {@code store: false} and typed reasoning settings (or a {@code reasoning} provider option), or reasoning in the conversation,
 * {@code include: ["reasoning.encrypted_content"]} is sent (merged into an {@code include} option),
 * since without stored state the encrypted content is how the next turn gets the reasoning back;
 * {@code service_tier} into {@link OpenAiCodec#SERVICE_TIER}.
 * A response with status {@code failed} (or an {@code error}) is thrown as its error, classified as
 * Chat Completions errors are. Streams: see {@link ResponsesStreamDecoder}.
 */
public final class ResponsesWire implements ChatWire {
  private final ObjectMapper mapper;
  private final ResponsesRequestWriter writer;

  public ResponsesWire(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper == null");
    this.writer = new ResponsesRequestWriter(mapper);
  }

  /** {@inheritDoc} The max-tokens field of {@code options} is ignored: this API has only {@code max_output_tokens}. */
  @Override
  public Encoded encode(ProviderRequest request, String model, OpenAiCodec.Options options) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(options, "options == null");
    return writer.write(request, model, options);
  }

  /** {@inheritDoc} {@code extras} is not consulted: the Responses API has no per-choice extra fields. */
  @Override
  public ChatResponse.Builder decodeResponse(byte[] body, ErrorContext context, Collection<Secret> secrets, ExtraFields extras) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw context.error(ErrorKind.PROTOCOL, "response body is not valid JSON (" + e.getClass().getSimpleName() + ")")
          .cause(e).build();
    }
    ResponsesReader.Result r = ResponsesReader.read(root, context, secrets);
    ChatResponse.Builder b = ChatResponse.builder()
        .message(new AssistantMessage(r.text(), r.toolCalls(), Optional.ofNullable(r.refusal())).withReasoning(r.reasoning()))
        .finishReason(r.finishReason())
        .rawFinishReason(ResponsesReader.rawFinishReason(root))
        .usage(r.usage().orElse(Usage.EMPTY))
        .model(r.model())
        .id(r.id().isEmpty() ? null : r.id());
    if (r.serviceTier() != null) b.metadata(OpenAiCodec.SERVICE_TIER, r.serviceTier()).serviceTier(r.serviceTier());
    r.warnings().forEach(b::warning);
    return b;
  }

  @Override
  public SseDecoder streamDecoder(ErrorContext context, Collection<Secret> secrets, ExtraFields extras) {
    return new ResponsesStreamDecoder(mapper, context, secrets);
  }
}
