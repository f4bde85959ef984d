package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Attempt;
import dev.switchboard.CallListener;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ModelAlias;
import dev.switchboard.Secret;
import dev.switchboard.Switchboard;
import dev.switchboard.TargetRef;
import dev.switchboard.aws.Bedrock;
import dev.switchboard.azure.AzureOpenAi;
import dev.switchboard.bench.baseline.TreeCodec;
import dev.switchboard.bench.stub.StubProcess;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The first failover of a process, in fresh JVMs: an Azure OpenAI primary that refuses
 * connections, then a Bedrock fallback (SigV4 with static credentials) on the loopback stub.
 * Each round starts one child JVM per variant, in turn, so machine drift hits every variant of a
 * round alike; a child builds its client, idles one second (an application that has just
 * started), times its first failover, then 300 more untimed and 300 timed ones (the warm figure,
 * their median). Ratios are to {@code bare} in the same round, medians over the rounds.
 *
 * <ul>
 *   <li>{@code bare} — OkHttp + Jackson: POST to the dead primary, then the Bedrock request with
 *       a Bedrock API key (no signing): the floor.
 *   <li>{@code bare-sigv4} — the same, signed with the AWS SDK's SigV4 signer as a bare client
 *       with IAM credentials must: what the SDK's classes cost any client on its first call.
 *   <li>{@code switchboard-cold} — Switchboard with {@code -Dswitchboard.warmUp=false}.
 *   <li>{@code switchboard} — Switchboard as shipped: providers warmed in the background at build.
 * </ul>
 * Switchboard rows also give the gap from the end of the failed attempt to the start of the
 * fallback's (from a {@link CallListener}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.FirstFailover 5
 * </pre>
 */
public final class FirstFailover {
  static final List<String> VARIANTS = List.of("bare", "bare-sigv4", "switchboard-cold", "switchboard");
  private static final int WARM_CALLS = 300;
  private static final MediaType JSON = MediaType.get("application/json");

  private FirstFailover() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], args[2], Integer.parseInt(args[3]));
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    VARIANTS.forEach(v -> results.put(v, new ArrayList<>()));
    try (StubProcess stub = StubProcess.start(0)) {
      int dead = refusingPort();
      for (int r = 0; r < rounds; r++) {
        for (String v : VARIANTS) {
          double[] row = fork(v, stub.baseUrl(), dead);
          results.get(v).add(row);
          System.out.printf(Locale.ROOT, "round %d %-17s build %7.1f ms  first %7.2f ms  warm %7.1f µs  gap first %7.1f µs  gap warm %5.1f µs%n",
              r + 1, v, row[0], row[1], row[2], row[3], row[4]);
        }
      }
    }
    System.out.println();
    System.out.println("variant            build ms  first ms  warm µs  gap first µs  gap warm µs  first/bare  warm/bare");
    List<double[]> bare = results.get("bare");
    for (String v : VARIANTS) {
      List<double[]> rows = results.get(v);
      double[] firstRatio = new double[rows.size()];
      double[] warmRatio = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        firstRatio[i] = rows.get(i)[1] / bare.get(i)[1];
        warmRatio[i] = rows.get(i)[2] / bare.get(i)[2];
      }
      System.out.printf(Locale.ROOT, "%-17s %9.1f %9.2f %8.1f %13.1f %12.1f %11.2f %10.2f   (first/bare range %.2f–%.2f)%n", v,
          median(rows, 0), median(rows, 1), median(rows, 2), median(rows, 3), median(rows, 4),
          median(firstRatio), median(warmRatio), min(firstRatio), max(firstRatio));
    }
  }

  /** Runs one variant in a fresh JVM; returns build ms, first failover ms, warm median µs, first gap µs, warm gap median µs. */
  private static double[] fork(String variant, String stubUrl, int deadPort) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-Dorg.slf4j.simpleLogger.logFile=/dev/null"));
    if (variant.equals("switchboard-cold")) cmd.add("-Dswitchboard.warmUp=false");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstFailover.class.getName(), "child", variant,
        stubUrl, Integer.toString(deadPort)));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) result = line.substring(7);
      }
    }
    if (p.waitFor() != 0 || result == null) throw new IllegalStateException(variant + " child failed (exit " + p.exitValue() + ")");
    return Arrays.stream(result.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  /** One fresh JVM: build, idle 1 s, time the first failover, then the warm ones. */
  private static void child(String variant, String stubUrl, int deadPort) throws Exception {
    String deadUrl = "http://127.0.0.1:" + deadPort;
    long buildStart = System.nanoTime();
    Sequence sequence = variant.startsWith("bare") ? new Bare(stubUrl, deadUrl, variant.equals("bare-sigv4"))
        : new ViaSwitchboard(stubUrl, deadUrl);
    double buildMs = (System.nanoTime() - buildStart) / 1e6;
    Thread.sleep(1000); // an application that has just started; Switchboard's warm-up runs meanwhile
    long start = System.nanoTime();
    sequence.run();
    double firstMs = (System.nanoTime() - start) / 1e6;
    double firstGap = sequence.lastGapMicros();
    for (int i = 0; i < WARM_CALLS; i++) sequence.run();
    double[] warm = new double[WARM_CALLS];
    double[] gaps = new double[WARM_CALLS];
    for (int i = 0; i < WARM_CALLS; i++) {
      long t = System.nanoTime();
      sequence.run();
      warm[i] = (System.nanoTime() - t) / 1e3;
      gaps[i] = sequence.lastGapMicros();
    }
    sequence.close();
    System.out.printf(Locale.ROOT, "RESULT %.3f %.3f %.3f %.3f %.3f%n", buildMs, firstMs, median(warm), firstGap, median(gaps));
    System.out.flush();
    System.exit(0);
  }

  interface Sequence extends AutoCloseable {
    /** Primary refused, answer from the fallback; throws unless the answer is the stub's. */
    void run() throws IOException;

    /** End of the failed attempt to start of the fallback's, for the last run (NaN if not measured). */
    double lastGapMicros();

    @Override
    void close();
  }

  static final class ViaSwitchboard implements Sequence {
    private final Switchboard switchboard;
    private final ChatRequest request = Payloads.request("failover");
    private volatile long primaryEnded;
    private volatile long fallbackStarted;

    ViaSwitchboard(String stubUrl, String deadUrl) {
      switchboard = Switchboard.builder()
          .deployment(AzureOpenAi.deployment("azure").endpoint(deadUrl).apiKey("bench-key").build().toBuilder()
              .circuitBreaker(CircuitBreakerPolicy.DISABLED).build())
          .deployment(Bedrock.deployment("bedrock").region("us-east-1").endpoint(stubUrl)
              .staticCredentials(Secret.of("AKIDBENCHEXAMPLE"), Secret.of("bench-secret-key")).build())
          .model(ModelAlias.builder("failover").target("azure", "gpt-4o-mini").target("bedrock", Payloads.BEDROCK_MODEL)
              .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build()).build())
          .callListenerFactory(call -> new CallListener() {
            @Override
            public void attemptEnd(Attempt attempt) {
              if (attempt.target().deployment().equals("azure")) primaryEnded = System.nanoTime();
            }

            @Override
            public void attemptStart(TargetRef target, int attempt, boolean hedge) {
              if (target.deployment().equals("bedrock")) fallbackStarted = System.nanoTime();
            }
          })
          .build();
    }

    @Override
    public void run() {
      ChatResponse r = switchboard.chat(request);
      if (!r.servedBy().deployment().equals("bedrock") || r.attempts().size() != 2 || !Payloads.answerText().equals(r.text())) {
        throw new IllegalStateException("not a failover azure → bedrock: " + r.attempts());
      }
    }

    @Override
    public double lastGapMicros() {
      return (fallbackStarted - primaryEnded) / 1e3;
    }

    @Override
    public void close() {
      switchboard.close();
    }
  }

  static final class Bare implements Sequence {
    private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false)
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(120)).build();
    private final TreeCodec codec = new TreeCodec(new ObjectMapper());
    private final ChatRequest request = Payloads.request("failover");
    private final String primaryUrl;
    private final String fallbackUrl;
    private final boolean sigv4;
    private final AwsV4HttpSigner signer;

    Bare(String stubUrl, String deadUrl, boolean sigv4) {
      this.primaryUrl = deadUrl + "/openai/v1/chat/completions";
      this.fallbackUrl = stubUrl + "/model/" + Payloads.BEDROCK_MODEL + "/converse";
      this.sigv4 = sigv4;
      this.signer = sigv4 ? AwsV4HttpSigner.create() : null;
    }

    @Override
    public void run() throws IOException {
      Request primary = new Request.Builder().url(primaryUrl).header("api-key", "bench-key")
          .post(RequestBody.create(codec.openAiRequest(request, "gpt-4o-mini", false), JSON)).build();
      try (Response ignored = client.newCall(primary).execute()) {
        throw new IllegalStateException("the dead primary answered");
      } catch (java.net.ConnectException expected) {
        // fail over
      }
      byte[] body = codec.bedrockRequest(request);
      Request.Builder fallback = new Request.Builder().url(fallbackUrl).post(RequestBody.create(body, JSON));
      if (sigv4) {
        sign(fallback, body);
      } else {
        fallback.header("Authorization", "Bearer bench-key");
      }
      try (Response response = client.newCall(fallback.build()).execute()) {
        ChatResponse r = codec.bedrockResponse(response.body().bytes(), Payloads.BEDROCK_MODEL);
        if (!Payloads.answerText().equals(r.text())) throw new IllegalStateException("bare client got: " + r.text());
      }
    }

    private void sign(Request.Builder fallback, byte[] body) {
      okhttp3.HttpUrl url = okhttp3.HttpUrl.get(fallbackUrl);
      SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol(url.scheme())
          .host(url.host()).port(url.port()).encodedPath(url.encodedPath()).putHeader("Content-Type", JSON.toString()).build();
      SignedRequest signed = signer.sign(r -> r
          .identity(AwsBasicCredentials.create("AKIDBENCHEXAMPLE", "bench-secret-key"))
          .request(unsigned)
          .payload(() -> new ByteArrayInputStream(body))
          .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
          .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
      signed.request().headers().forEach((name, values) -> {
        fallback.removeHeader(name);
        values.forEach(v -> fallback.addHeader(name, v));
      });
    }

    @Override
    public double lastGapMicros() {
      return Double.NaN;
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** A loopback port nothing listens on: bound, then released. */
  static int refusingPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  private static double median(List<double[]> rows, int column) {
    return median(rows.stream().mapToDouble(r -> r[column]).toArray());
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    if (n == 0) return Double.NaN;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
