package dev.switchboard.bench.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.bench.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
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
 * <p>The connection pool and dispatcher are sized like Switchboard's defaults (64 idle
 * connections, 1,024 concurrent calls per host), so 32 concurrent callers are not throttled by
 * OkHttp's defaults of 5.
 */
public final class RawClient implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient client;
  private final TreeCodec codec;
  private final String base;

  public RawClient(String baseUrl, ObjectMapper mapper) {
    this.base = baseUrl;
    this.codec = new TreeCodec(mapper);
    // Dispatcher limits as Switchboard's (OkHttp's default of 5 per host would queue the async baseline).
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(1024);
    dispatcher.setMaxRequestsPerHost(1024);
    this.client = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
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

  /**
   * The same call as {@link #openAiChat}, {@link #azureChat} or {@link #bedrockChat}, but enqueued
   * on OkHttp's dispatcher with a whole-call timeout and awaited through a future — the threading
   * every asynchronous client (Switchboard's providers included) pays: a hand-over to a
   * dispatcher thread and back. Not a budget baseline; it shows how much of a gap is that.
   */
  public ChatResponse chatAsync(String provider, ChatRequest request) {
    Request r = switch (provider) {
      case "openai" -> chatRequest(base + "/v1/chat/completions", "Authorization", "Bearer sk-bench", request);
      case "azure" -> chatRequest(azureUrl(), "api-key", "bench-key", request);
      default -> new Request.Builder().url(base + "/model/" + Payloads.BEDROCK_MODEL + "/converse")
          .header("Authorization", "Bearer bench-key").post(RequestBody.create(codec.bedrockRequest(request), JSON)).build();
    };
    CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    Call call = client.newCall(r);
    call.timeout().timeout(120, TimeUnit.SECONDS);
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        result.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          if (!response.isSuccessful()) throw new IOException("HTTP " + response.code());
          byte[] body = response.body().bytes();
          result.complete(provider.equals("bedrock") ? codec.bedrockResponse(body, Payloads.BEDROCK_MODEL)
              : codec.openAiResponse(body));
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(e);
        }
      }
    });
    return result.join();
  }

  private Request chatRequest(String url, String authHeader, String auth, ChatRequest request) {
    return new Request.Builder().url(url).header(authHeader, auth)
        .post(RequestBody.create(codec.openAiRequest(request, "gpt-4o-mini", false), JSON)).build();
  }

  private ChatResponse chatCompletions(String url, String authHeader, String auth, ChatRequest request) {
    Request r = chatRequest(url, authHeader, auth, request);
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
