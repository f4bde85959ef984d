package dev.switchboard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Reasoning;
import dev.switchboard.Secret;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ResponseMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Turns the typed SSE events of one Responses API stream into {@link ChatEvent}s; one per stream,
 * not thread-safe. The event's type is its JSON {@code type} (the SSE {@code event:} name when that
 * is missing).
 *
 * <ul>
 *   <li>{@code response.output_text.delta} → {@link ChatEvent.TextDelta} (empty ones dropped);
 *   <li>{@code response.output_item.added} of a {@code function_call} → the call's first
 *       {@link ChatEvent.ToolCallDelta} (id from {@code call_id}, name), indexes dense from 0;
 *       {@code response.function_call_arguments.delta} → its argument fragments, found by
 *       {@code item_id}; a call whose arguments came only whole ({@code ….done} or
 *       {@code output_item.done}) gets them then;
 *   <li>{@code response.refusal.delta} → {@link ChatEvent.RefusalDelta} (empty ones dropped);
 *       a {@code reasoning} item becomes {@link ChatEvent.ReasoningDelta}s of one index (in order of
 *       appearance): its id when added, {@code response.reasoning_summary_text.delta} by
 *       {@code summary_index}, {@code response.reasoning_text.delta} as text, and the
 *       {@code encrypted_content} (and any summary or text no delta carried) from
 *       {@code output_item.done}, where the API says the complete value is;
 *   <li>{@code response.completed} and {@code response.incomplete} end the stream: one
 *       {@link ChatEvent.UsageUpdate} when usage is reported, then the single
 *       {@link ChatEvent.Finish} (STOP or TOOL_CALLS; LENGTH / CONTENT_FILTER / OTHER by
 *       {@code incomplete_details.reason}, which, else the {@code status}, is the metadata's
 *       {@code rawFinishReason});
 *   <li>{@code response.failed} and {@code error} are thrown as typed errors, classified as
 *       errors inside a Chat Completions stream are; data that is not JSON is PROTOCOL;
 *   <li>a stream that ends without {@code response.completed} or {@code response.incomplete}
 *       fails in {@link #finish} with PROTOCOL "truncated stream", like Chat Completions without
 *       {@code [DONE]}.
 * </ul>
 * Other events (created, in_progress, content parts, built-in tool progress) carry nothing new.
 */
final class ResponsesStreamDecoder implements SseDecoder {
  private final ObjectMapper mapper;
  private final ErrorContext context;
  private final Collection<Secret> secrets;

  private String model = "";
  private String id;
  private String serviceTier;
  private String rawFinishReason;
  /** Reasoning items by item id, with whether deltas carried their summary or text. */
  private final Map<String, ReasoningItem> reasoning = new HashMap<>(2);

  private static final class ReasoningItem {
    final int index;
    boolean summarySeen;
    boolean textSeen;

    ReasoningItem(int index) {
      this.index = index;
    }
  }
  private boolean done;
  private int events;
  /** Function calls by item id, in order of appearance. */
  private final Map<String, Call> calls = new HashMap<>(4);
  private final List<Call> ordered = new ArrayList<>(2);

  private static final class Call {
    final int index;
    boolean argumentsSeen;

    Call(int index) {
      this.index = index;
    }
  }

  ResponsesStreamDecoder(ObjectMapper mapper, ErrorContext context, Collection<Secret> secrets) {
    this.mapper = mapper;
    this.context = context;
    this.secrets = List.copyOf(secrets);
  }

  @Override
  public void accept(String eventType, String data, Consumer<? super ChatEvent> sink) {
    if (done) return;
    JsonNode e;
    try {
      e = mapper.readTree(data);
    } catch (IOException | RuntimeException ex) {
      throw context.error(ErrorKind.PROTOCOL, "stream event " + (events + 1) + " is not valid JSON ("
          + ex.getClass().getSimpleName() + ")").cause(ex).build();
    }
    events++;
    if (e == null || !e.isObject()) {
      throw context.error(ErrorKind.PROTOCOL, "stream event " + events + " is not a JSON object").build();
    }
    String type = ResponsesReader.text(e.get("type"));
    if (type.isEmpty()) type = eventType;
    switch (type) {
      case "response.created", "response.in_progress" -> learn(e.get("response"));
      case "response.output_text.delta" -> {
        String delta = ResponsesReader.text(e.get("delta"));
        if (!delta.isEmpty()) sink.accept(new ChatEvent.TextDelta(delta));
      }
      case "response.refusal.delta" -> {
        String delta = ResponsesReader.text(e.get("delta"));
        if (!delta.isEmpty()) sink.accept(new ChatEvent.RefusalDelta(delta));
      }
      case "response.reasoning_summary_text.delta" -> {
        ReasoningItem r = reasoningItem(ResponsesReader.text(e.get("item_id")), sink);
        r.summarySeen = true;
        int part = e.path("summary_index").canConvertToInt() ? Math.max(0, e.get("summary_index").asInt()) : 0;
        sink.accept(ChatEvent.ReasoningDelta.summary(r.index, part, ResponsesReader.text(e.get("delta"))));
      }
      case "response.reasoning_text.delta" -> {
        ReasoningItem r = reasoningItem(ResponsesReader.text(e.get("item_id")), sink);
        r.textSeen = true;
        sink.accept(ChatEvent.ReasoningDelta.text(r.index, Reasoning.Wire.RESPONSES, ResponsesReader.text(e.get("delta"))));
      }
      case "response.output_item.added" -> {
        JsonNode item = e.get("item");
        if (item != null && "reasoning".equals(ResponsesReader.text(item.get("type")))) {
          reasoningItem(ResponsesReader.text(item.get("id")), sink);
        }
        if (item != null && "function_call".equals(ResponsesReader.text(item.get("type")))) {
          Call c = start(item, sink);
          String args = ResponsesReader.text(item.get("arguments"));
          if (!args.isEmpty()) argumentsDelta(c, args, sink);
        }
      }
      case "response.function_call_arguments.delta" -> {
        Call c = calls.get(ResponsesReader.text(e.get("item_id")));
        if (c == null) {
          throw context.error(ErrorKind.PROTOCOL, "stream event " + events + ": arguments for a function call that was never"
              + " added").build();
        }
        argumentsDelta(c, ResponsesReader.text(e.get("delta")), sink);
      }
      case "response.function_call_arguments.done" -> {
        Call c = calls.get(ResponsesReader.text(e.get("item_id")));
        if (c != null && !c.argumentsSeen) argumentsDelta(c, ResponsesReader.text(e.get("arguments")), sink);
      }
      case "response.output_item.done" -> {
        JsonNode item = e.get("item");
        if (item != null && "reasoning".equals(ResponsesReader.text(item.get("type")))) reasoningDone(item, sink);
        if (item != null && "function_call".equals(ResponsesReader.text(item.get("type")))) {
          Call c = calls.get(ResponsesReader.text(item.get("id")));
          if (c == null) c = start(item, sink);
          if (!c.argumentsSeen) argumentsDelta(c, ResponsesReader.text(item.get("arguments")), sink);
        }
      }
      case "response.completed", "response.incomplete" -> end(e.get("response"), sink);
      case "response.failed" -> {
        JsonNode response = e.get("response");
        throw ResponsesReader.failure(response == null ? mapper.createObjectNode() : response, context, secrets).build();
      }
      case "error" -> {
        // The error event carries code / message / param at its top level; some servers nest an error object.
        JsonNode error = e.has("error") && !e.get("error").isNull() ? e.get("error") : e;
        throw OpenAiErrors.streamBuilder(WireReader.toError(error), context, secrets).build();
      }
      default -> { }
    }
  }

  private Call start(JsonNode item, Consumer<? super ChatEvent> sink) {
    String itemId = ResponsesReader.text(item.get("id"));
    Call existing = calls.get(itemId);
    if (existing != null && !itemId.isEmpty()) return existing;
    String name = ResponsesReader.text(item.get("name"));
    if (name.isEmpty()) {
      throw context.error(ErrorKind.PROTOCOL, "stream function call " + ordered.size() + " has no name").build();
    }
    Call c = new Call(ordered.size());
    ordered.add(c);
    calls.put(itemId.isEmpty() ? "#" + c.index : itemId, c);
    String callId = ResponsesReader.text(item.get("call_id"));
    sink.accept(new ChatEvent.ToolCallDelta(c.index, Optional.of(callId.isEmpty() ? "call_" + c.index : callId),
        Optional.of(name), ""));
    return c;
  }

  /** The reasoning item {@code itemId}, started (its id sent as a delta) when first seen. */
  private ReasoningItem reasoningItem(String itemId, Consumer<? super ChatEvent> sink) {
    if (itemId.isEmpty()) {
      throw context.error(ErrorKind.PROTOCOL, "stream event " + events + ": a reasoning item without an id").build();
    }
    ReasoningItem r = reasoning.get(itemId);
    if (r == null) {
      r = new ReasoningItem(reasoning.size());
      reasoning.put(itemId, r);
      sink.accept(new ChatEvent.ReasoningDelta(r.index, Reasoning.Wire.RESPONSES, "", OptionalInt.empty(), Optional.of(itemId),
          Optional.empty(), Optional.empty()));
    }
    return r;
  }

  /** The complete item: its encrypted content, and what of its summary and text no delta carried. */
  private void reasoningDone(JsonNode item, Consumer<? super ChatEvent> sink) {
    ReasoningItem r = reasoningItem(ResponsesReader.text(item.get("id")), sink);
    if (!r.summarySeen) {
      int i = 0;
      for (JsonNode part : item.path("summary")) sink.accept(ChatEvent.ReasoningDelta.summary(r.index, i++, ResponsesReader.text(part.get("text"))));
    }
    if (!r.textSeen) {
      for (JsonNode part : item.path("content")) {
        String t = ResponsesReader.text(part.get("text"));
        if (!t.isEmpty()) sink.accept(ChatEvent.ReasoningDelta.text(r.index, Reasoning.Wire.RESPONSES, t));
      }
    }
    String encrypted = ResponsesReader.text(item.get("encrypted_content"));
    if (!encrypted.isEmpty()) {
      sink.accept(new ChatEvent.ReasoningDelta(r.index, Reasoning.Wire.RESPONSES, "", OptionalInt.empty(), Optional.empty(),
          Optional.empty(), Optional.of(encrypted)));
    }
  }

  private static void argumentsDelta(Call c, String fragment, Consumer<? super ChatEvent> sink) {
    if (fragment.isEmpty()) return;
    c.argumentsSeen = true;
    sink.accept(new ChatEvent.ToolCallDelta(c.index, Optional.empty(), Optional.empty(), fragment));
  }

  private void learn(JsonNode response) {
    if (response == null || !response.isObject()) return;
    String m = ResponsesReader.text(response.get("model"));
    if (!m.isEmpty()) model = m;
    String i = ResponsesReader.text(response.get("id"));
    if (!i.isEmpty()) id = i;
    String tier = ResponsesReader.text(response.get("service_tier"));
    if (!tier.isEmpty()) serviceTier = tier;
  }

  private void end(JsonNode response, Consumer<? super ChatEvent> sink) {
    if (response == null || !response.isObject()) {
      throw context.error(ErrorKind.PROTOCOL, "stream event " + events + " ends the response without a response object").build();
    }
    learn(response);
    List<String> ignored = new ArrayList<>(0);
    FinishReason reason = ResponsesReader.finishReason(ResponsesReader.text(response.get("status")),
        response.get("incomplete_details"), !ordered.isEmpty(), ignored);
    rawFinishReason = ResponsesReader.rawFinishReason(response);
    done = true;
    ResponsesReader.usage(response.get("usage")).ifPresent(u -> sink.accept(new ChatEvent.UsageUpdate(u)));
    sink.accept(new ChatEvent.Finish(reason));
  }

  @Override
  public boolean isDone() {
    return done;
  }

  @Override
  public ResponseMetadata finish(Consumer<? super ChatEvent> sink, Optional<String> requestId, Optional<RateLimitInfo> rateLimit) {
    if (!done) {
      throw context.error(ErrorKind.PROTOCOL, "truncated stream: it ended after " + events
          + " events without response.completed").build();
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    if (serviceTier != null) meta.put(OpenAiCodec.SERVICE_TIER, serviceTier);
    return new ResponseMetadata(model, Optional.ofNullable(id), requestId, rateLimit.filter(RateLimitInfo::isKnown), meta, List.of(),
        Optional.ofNullable(rawFinishReason), Optional.ofNullable(serviceTier));
  }
}
