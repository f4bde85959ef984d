package dev.switchboard.openai;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ChatEvent;
import dev.switchboard.ErrorKind;
import dev.switchboard.FinishReason;
import dev.switchboard.RateLimitInfo;
import dev.switchboard.Reasoning;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ResponseMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the {@code data:} payloads of one Chat Completions stream into {@link ChatEvent}s.
 * Create one per stream with {@link OpenAiCodec#streamDecoder}; not thread-safe.
 *
 * <p>Contract, in the order a stream unfolds:
 * <ul>
 *   <li>{@link #accept} takes each SSE event's data in order. Text deltas become
 *       {@link ChatEvent.TextDelta} and refusal deltas {@link ChatEvent.RefusalDelta} (empty
 *       ones are dropped); tool-call deltas become
 *       {@link ChatEvent.ToolCallDelta}s whose index is dense from 0 in order of first
 *       appearance, with the id and name only on a call's first delta (a server that repeats
 *       them, or reuses a wire index for a call with a new id, is handled); usage becomes one
 *       {@link ChatEvent.UsageUpdate}. Chunks with {@code choices: []} (OpenAI's final usage chunk,
 *       Azure's prompt-filter chunk) and annotation-only chunks produce no text events. Only the
 *       choice with index 0 is decoded; unknown fields go to the {@link ExtraFields} hook.
 *   <li>An error object inside the stream ({@code {"error":{...}}}, or an SSE event named
 *       {@code error}) is thrown as a typed {@link SwitchboardException}; data that is not JSON
 *       is thrown as {@link ErrorKind#PROTOCOL}.
 *   <li>{@code [DONE]} ends the stream: {@link #isDone()} turns true and the single
 *       {@link ChatEvent.Finish} is emitted then (always the last event). Data after it is ignored.
 *   <li>When the byte stream ends, call {@link #finish}: it emits the pending {@code Finish} if
 *       {@code [DONE]} never came but a finish reason did, and returns what was learned about the
 *       answer. A stream with neither is cut: {@code finish} throws PROTOCOL "truncated stream".
 * </ul>
 * Metadata: {@code openai.system_fingerprint} (String), {@code openai.service_tier} (String).
 * The {@code reasoning_content} (or {@code reasoning}) deltas of compatible servers become
 * {@link ChatEvent.ReasoningDelta}s of block 0, wire CHAT_COMPLETIONS.
 */
public final class OpenAiStreamDecoder implements SseDecoder {
  private final WireReader reader;
  private final ErrorContext context;
  private final Collection<Secret> secrets;
  private final ExtraFields extras;

  private String model = "";
  private String id;
  private String fingerprint;
  private String serviceTier;
  private FinishReason finishReason;
  private String rawFinishReason;
  private boolean done;
  private boolean sawToolCall;
  private int chunks;
  /**
   * Per wire index: the event index assigned and the call id seen, to split reused indexes. A map,
   * not a list indexed by the wire index: the index is the server's number, and a list grown to
   * {@code "index": 2147483647} exhausts the heap.
   */
  private final Map<Integer, ToolSlot> slots = new HashMap<>(4);
  /** One past the highest wire index seen. */
  private int wireEnd;
  private final List<ToolSlot> ordered = new ArrayList<>(2);
  private int nextEventIndex;

  OpenAiStreamDecoder(WireReader reader, ErrorContext context, Collection<Secret> secrets, ExtraFields extras) {
    this.reader = reader;
    this.context = context;
    this.secrets = List.copyOf(secrets);
    this.extras = extras;
  }

  /** Decodes one SSE event of the default type. */
  public void accept(String data, Consumer<? super ChatEvent> sink) {
    accept("message", data, sink);
  }

  /**
   * Decodes one SSE event; {@code eventType} is the SSE {@code event:} name ({@code message} when
   * none was sent).
   *
   * @throws SwitchboardException typed for an error sent by the server, PROTOCOL for data that
   *     is not a chunk
   */
  @Override
  public void accept(String eventType, String data, Consumer<? super ChatEvent> sink) {
    if (done) return;
    if (isDoneMarker(data)) {
      checkToolNames();
      done = true;
      sink.accept(new ChatEvent.Finish(finalReason()));
      return;
    }
    if (eventType.equals("error")) {
      OpenAiError error = reader.parseError(data.getBytes(StandardCharsets.UTF_8))
          .orElseGet(() -> WireReader.toError(TextNode.valueOf(data)));
      throw OpenAiErrors.streamBuilder(error, context, secrets).build();
    }
    Wire.Body chunk;
    try {
      chunk = reader.readBody(data, extras);
    } catch (IOException | RuntimeException e) {
      if (e instanceof SwitchboardException se) throw se;
      throw context.error(ErrorKind.PROTOCOL, "stream chunk " + (chunks + 1) + " is not valid JSON (" + e.getClass().getSimpleName() + ")")
          .cause(e).build();
    }
    chunks++;
    if (chunk.error != null) throw OpenAiErrors.streamBuilder(chunk.error, context, secrets).build();
    if (chunk.model != null && !chunk.model.isEmpty() && model.isEmpty()) model = chunk.model;
    if (chunk.id != null && !chunk.id.isEmpty() && id == null) id = chunk.id;
    if (chunk.systemFingerprint != null && fingerprint == null) fingerprint = chunk.systemFingerprint;
    if (chunk.serviceTier != null && serviceTier == null) serviceTier = chunk.serviceTier;
    Wire.Choice c = chunk.choice;
    if (c != null) {
      if (c.content != null && !c.content.isEmpty()) sink.accept(new ChatEvent.TextDelta(c.content));
      if (c.refusal != null && !c.refusal.isEmpty()) sink.accept(new ChatEvent.RefusalDelta(c.refusal));
      if (c.reasoning != null && !c.reasoning.isEmpty()) {
        sink.accept(ChatEvent.ReasoningDelta.text(0, Reasoning.Wire.CHAT_COMPLETIONS, c.reasoning));
      }
      if (c.toolCalls != null) {
        for (Wire.ToolCallPart part : c.toolCalls) toolCallDelta(part, sink);
      }
      if (c.finishReason != null && !c.finishReason.isEmpty()) {
        finishReason = Wire.finishReason(c.finishReason);
        rawFinishReason = c.finishReason;
      }
    }
    if (chunk.usage != null) sink.accept(new ChatEvent.UsageUpdate(chunk.usage.toUsage()));
  }

  private void toolCallDelta(Wire.ToolCallPart part, Consumer<? super ChatEvent> sink) {
    sawToolCall = true;
    boolean hasId = part.id != null && !part.id.isEmpty();
    // Without an index, a delta with an id starts a new call and one without continues the last.
    int wire = part.index >= 0 ? part.index : hasId || wireEnd == 0 ? wireEnd : wireEnd - 1;
    wireEnd = (int) Math.max(wireEnd, Math.min(Integer.MAX_VALUE, wire + 1L));
    ToolSlot slot = slots.get(wire);
    boolean isNew = slot == null || (hasId && slot.id != null && !slot.id.equals(part.id));
    if (isNew) {
      // A first delta, or a server that reuses an index for a different call (some
      // OpenAI-compatible servers send each call whole under index 0).
      slot = new ToolSlot(nextEventIndex++, hasId ? part.id : null);
      slots.put(wire, slot);
      ordered.add(slot);
    }
    Optional<String> callId = isNew ? Optional.of(hasId ? part.id : "call_" + slot.eventIndex) : Optional.empty();
    Optional<String> name = Optional.empty();
    if (!slot.named && part.name != null && !part.name.isEmpty()) {
      slot.named = true;
      name = Optional.of(part.name);
    }
    String args = part.arguments == null ? "" : part.arguments;
    if (!isNew && name.isEmpty() && args.isEmpty()) return;
    sink.accept(new ChatEvent.ToolCallDelta(slot.eventIndex, callId, name, args));
  }

  private static final class ToolSlot {
    final int eventIndex;
    final String id;
    boolean named;

    ToolSlot(int eventIndex, String id) {
      this.eventIndex = eventIndex;
      this.id = id;
    }
  }

  /** Whether {@code [DONE]} was seen: the caller stops reading and calls {@link #finish}. */
  @Override
  public boolean isDone() {
    return done;
  }

  /** Whether a finish reason arrived (the answer is complete even if {@code [DONE]} does not follow). */
  public boolean hasFinishReason() {
    return finishReason != null;
  }

  /**
   * Ends the stream after the last byte was read, emitting the pending {@code Finish} when
   * {@code [DONE]} never came but a finish reason did.
   *
   * @param requestId the {@code x-request-id} (or equivalent) of the response
   * @param rateLimit what the response's rate-limit headers said
   * @throws SwitchboardException PROTOCOL "truncated stream" when the stream ended with neither
   *     {@code [DONE]} nor a finish reason
   */
  @Override
  public ResponseMetadata finish(Consumer<? super ChatEvent> sink, Optional<String> requestId, Optional<RateLimitInfo> rateLimit) {
    if (!done) {
      checkToolNames();
      if (finishReason == null) {
        throw context.error(ErrorKind.PROTOCOL, "truncated stream: it ended after " + chunks
            + " chunks without [DONE] or a finish reason").build();
      }
      done = true;
      sink.accept(new ChatEvent.Finish(finishReason));
    }
    return metadata(requestId, rateLimit);
  }

  /** What was learned so far, also usable when the stream failed part way. */
  public ResponseMetadata metadata(Optional<String> requestId, Optional<RateLimitInfo> rateLimit) {
    Map<String, Object> meta = new LinkedHashMap<>();
    if (fingerprint != null) meta.put(OpenAiCodec.SYSTEM_FINGERPRINT, fingerprint);
    if (serviceTier != null) meta.put(OpenAiCodec.SERVICE_TIER, serviceTier);
    return new ResponseMetadata(model, Optional.ofNullable(id), requestId,
        rateLimit.filter(RateLimitInfo::isKnown), meta, List.of(), Optional.ofNullable(rawFinishReason),
        Optional.ofNullable(serviceTier));
  }

  private void checkToolNames() {
    for (ToolSlot slot : ordered) {
      if (!slot.named) {
        throw context.error(ErrorKind.PROTOCOL, "stream tool call " + slot.eventIndex + " never named its function").build();
      }
    }
  }

  private FinishReason finalReason() {
    if (finishReason != null) return finishReason;
    return sawToolCall ? FinishReason.TOOL_CALLS : FinishReason.STOP;
  }

  private static boolean isDoneMarker(String data) {
    int n = data.length();
    if (n < 6) return false;
    return data.strip().equals("[DONE]");
  }
}
