package dev.switchboard.bench.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * The end-to-end baseline: a bare OkHttp + Jackson client making the same calls as Switchboard
 * — same request translated with Jackson's tree model, synchronous {@code execute()} on the
 * caller's thread, response read into the same {@link ChatResponse}, streams read line by line
 * (SSE) or with the AWS SDK's event-stream decoder, one Jackson tree per chunk. No routing, no
 * retries, no deadlines, no error classification: the floor a library cannot go below.
 *
 * <p>The connection pool is sized like Switchboard's default (64 idle connections), so 32
 * concurrent callers are not throttled by OkHttp's default of 5.
 */
public final class RawClient implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient client;
  private final TreeCodec codec;
  private final String base;

  public RawClient(String baseUrl, ObjectMapper mapper) {
    this.base = baseUrl;
    this.codec = new TreeCodec(mapper);
    this.client = new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(120))
        .retryOnConnectionFailure(false)
        .build();
  }

  // ---- OpenAI and Azure (same wire format, different URL and auth header) --------------------------

  public ChatResponse openAiChat(ChatRequest request) {
    return chatCompletions(base + "/v1/chat/completions", "Authorization", "Bearer sk-bench", request);
  }

  public ChatResponse azureChat(ChatRequest request) {
    return chatCompletions(azureUrl(), "api-key", "bench-key", request);
  }

  /** Streams an OpenAI answer, handing each text delta to {@code sink}; returns the deltas seen. */
  public int openAiStream(ChatRequest request, Consumer<String> sink) {
    return sse(base + "/v1/chat/completions", "Authorization", "Bearer sk-bench", request, sink);
  }

  public int azureStream(ChatRequest request, Consumer<String> sink) {
    return sse(azureUrl(), "api-key", "bench-key", request, sink);
  }

  private String azureUrl() {
    return base + "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21";
  }

  private ChatResponse chatCompletions(String url, String authHeader, String auth, ChatRequest request) {
    Request r = new Request.Builder().url(url).header(authHeader, auth)
        .post(RequestBody.create(codec.openAiRequest(request, "gpt-4o-mini", false), JSON)).build();
    try (Response response = client.newCall(r).execute()) {
      if (!response.isSuccessful()) throw new IOException("HTTP " + response.code());
      return codec.openAiResponse(response.body().bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int sse(String url, String authHeader, String auth, ChatRequest request, Consumer<String> sink) {
    Request r = new Request.Builder().url(url).header(authHeader, auth).header("Accept", "text/event-stream")
        .post(RequestBody.create(codec.openAiRequest(request, "gpt-4o-mini", true), JSON)).build();
    int deltas = 0;
    try (Response response = client.newCall(r).execute()) {
      if (!response.isSuccessful()) throw new IOException("HTTP " + response.code());
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (!line.startsWith("data: ")) continue;
        String data = line.substring(6);
        if (data.equals("[DONE]")) break;
        String text = codec.openAiChunkText(data);
        if (text != null && !text.isEmpty()) {
          sink.accept(text);
          deltas++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deltas;
  }

  // ---- Bedrock (API-key auth, so no signing on either side) --------------------------------------

  public ChatResponse bedrockChat(ChatRequest request, String modelId) {
    Request r = new Request.Builder().url(base + "/model/" + modelId + "/converse").header("Authorization", "Bearer bench-key")
        .post(RequestBody.create(codec.bedrockRequest(request), JSON)).build();
    try (Response response = client.newCall(r).execute()) {
      if (!response.isSuccessful()) throw new IOException("HTTP " + response.code());
      return codec.bedrockResponse(response.body().bytes(), modelId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Streams a Bedrock answer through the SDK's decoder; returns the text deltas seen. */
  public int bedrockStream(ChatRequest request, String modelId, Consumer<String> sink) {
    Request r = new Request.Builder().url(base + "/model/" + modelId + "/converse-stream")
        .header("Authorization", "Bearer bench-key").header("Accept", "application/vnd.amazon.eventstream")
        .post(RequestBody.create(codec.bedrockRequest(request), JSON)).build();
    int[] deltas = {0};
    MessageDecoder decoder = new MessageDecoder(m -> {
      String text = codec.bedrockPayloadText(m.getPayload());
      if (text != null && !text.isEmpty()) {
        sink.accept(text);
        deltas[0]++;
      }
    });
    try (Response response = client.newCall(r).execute()) {
      if (!response.isSuccessful()) throw new IOException("HTTP " + response.code());
      BufferedSource source = response.body().source();
      byte[] buf = new byte[8192];
      int n;
      while ((n = source.read(buf)) != -1) decoder.feed(ByteBuffer.wrap(buf, 0, n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deltas[0];
  }

  public OkHttpClient okHttp() {
    return client;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
