package dev.switchboard.bench.callpath;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.ChatRequest;
import dev.switchboard.Switchboard;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The program {@link CallPath} watches: a switchboard built from YAML (an Azure deployment first, a
 * SigV4-signed Bedrock one second) against a loopback stub in this JVM, then two blocking chats on
 * two aliases with targets of their own, so the second (the one counted) runs warm and starts from
 * fresh target health. {@code chat}: Azure answers. {@code failover}: Azure answers 503 to the
 * attempt and its retry, Bedrock answers. Uses only the YAML and {@code Switchboard.chat}, so the
 * same program runs against an older build.
 */
public final class CallPathApp {
  private CallPathApp() {}

  public static void main(String[] args) throws IOException {
    boolean failover = args.length > 0 && args[0].equals("failover");
    AtomicInteger azure = new AtomicInteger();
    AtomicInteger bedrock = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      boolean isAzure = exchange.getRequestURI().getPath().startsWith("/openai/");
      (isAzure ? azure : bedrock).incrementAndGet();
      int status = isAzure && failover ? 503 : 200;
      String body = !isAzure ? BEDROCK_ANSWER : failover ? AZURE_BUSY : AZURE_ANSWER;
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try (Switchboard sb = Switchboard.fromConfig(new ByteArrayInputStream(yaml(base).getBytes(StandardCharsets.UTF_8)))) {
      sb.chat(ChatRequest.of("warm", "hello"));
      String text = sb.chat(ChatRequest.of("chat", "hello")).text();
      System.out.printf("answered '%s'; requests: azure %d, bedrock %d (both calls)%n", text, azure.get(), bedrock.get());
    } finally {
      server.stop(0);
    }
  }

  private static String yaml(String base) {
    return "deployments:\n"
        + "  azure-east:\n    type: azure-openai\n    region: eastus\n    endpoint: " + base + "\n"
        + "    api-key: not-a-key\n    api-version: 2024-10-21\n"
        + "  bedrock-west:\n    type: bedrock\n    region: us-west-2\n    endpoint: " + base + "\n    auth: static\n"
        + "    access-key-id: AKIDEXAMPLE\n    secret-access-key: not-a-secret\n"
        + "models:\n"
        + alias("warm", "gpt4o-warm", "anthropic.claude-3-sonnet")
        + alias("chat", "gpt4o", "anthropic.claude-3-haiku")
        + "resilience:\n  retry:\n    max-retries: 1\n    initial-backoff: 1ms\n    max-backoff: 2ms\n";
  }

  private static String alias(String name, String azureModel, String bedrockModel) {
    return "  " + name + ":\n    strategy: priority\n    targets:\n"
        + "      - {deployment: azure-east, model: " + azureModel + "}\n"
        + "      - {deployment: bedrock-west, model: \"" + bedrockModel + "\"}\n";
  }

  private static final String AZURE_ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
  private static final String AZURE_BUSY = "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}";
  private static final String BEDROCK_ANSWER = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"hi\"}]}},"
      + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2},\"metrics\":{\"latencyMs\":1}}";
}
