package dev.switchboard.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.TargetRef;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.spi.ResponseMetadata;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import okio.BufferedSource;

/**
 * Benchmark access to provider-aws's package-private codec: the Converse request writer and
 * response reader, and the ConverseStream frame reader and event mapper, exactly as
 * {@code BedrockProvider} drives them. Lives in the provider's test sources and reaches
 * the benchmarks through a test-jar holding only this class, so the provider keeps its API closed
 * and the benchmarks declare no class in the provider's package.
 */
public final class BedrockCodecAccess {
  private final ObjectMapper mapper;
  private final ErrorContext errors;
  private final ConverseRequestWriter writer;
  private final ConverseResponseReader reader;

  public BedrockCodecAccess(ObjectMapper mapper, String deployment) {
    this.mapper = mapper;
    this.errors = new ErrorContext(Bedrock.TYPE, deployment);
    this.writer = new ConverseRequestWriter(mapper, errors);
    this.reader = new ConverseResponseReader(mapper, errors);
  }

  /** The Converse request body. */
  public byte[] writeRequest(ChatRequest request) {
    return writer.write(ProviderRequest.from(request)).body();
  }

  /** A Converse response body as the provider turns it into a response. */
  public ChatResponse readResponse(byte[] body, TargetRef target, String requestId) {
    return reader.read(body, target, Optional.empty(), requestId);
  }

  /**
   * Decodes a whole ConverseStream body frame by frame, handing every event to {@code sink}; the
   * provider's read loop minus the HTTP call.
   */
  public ResponseMetadata readStream(BufferedSource source, String model, int maxFrameBytes, Consumer<ChatEvent> sink)
      throws IOException {
    ConverseStreamMapper events = new ConverseStreamMapper(mapper, errors, Optional.empty(), List.of(), "req-1");
    EventStreamReader frames = new EventStreamReader(source, maxFrameBytes);
    software.amazon.awssdk.eventstream.Message frame;
    while ((frame = frames.next()) != null) events.accept(frame, sink);
    if (!events.finished()) throw new IOException("truncated stream");
    return events.metadata(model, List.of());
  }
}
