package dev.switchboard.aws;

import dev.switchboard.ErrorKind;
import dev.switchboard.Secret;
import dev.switchboard.SwitchboardException;
import dev.switchboard.http.CallerRuns;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.http.HttpErrors;
import dev.switchboard.http.SignedRequest;
import dev.switchboard.http.Signer;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;
import okhttp3.Request;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Bedrock's {@link Signer}, which core's transport applies to every attempt just before it is
 * sent: a Bedrock API key as {@code Authorization: Bearer}, or a fresh SigV4 signature (service
 * {@code bedrock}) dated by the injected clock over the body bytes handed in, so every attempt
 * gets its own date and the hash covers exactly what is sent. Credentials are resolved for each
 * attempt (the SDK's providers cache and refresh them). A lookup that may block (profile files,
 * IMDS, container endpoints, SSO) runs on the blocking caller's own thread (it waits anyway, see
 * {@link CallerRuns#armed()}) or else on OkHttp's dispatcher threads, never on the thread of an
 * asynchronous caller or the engine's; static credentials are signed in place.
 *
 * <p>Only {@code host}, {@code content-type} and the signer's own {@code x-amz-*} headers are
 * signed; headers OkHttp adds later (User-Agent, Accept-Encoding, Connection, Content-Length) are
 * not, so nothing downstream can invalidate the signature. A request without a
 * {@code Content-Type} header gets its body's media type as one, signed. Credentials and
 * signatures are never logged here; a failure is AUTHENTICATION, its message scrubbed. Signing
 * is {@link SigV4}'s (it hashes the body held and keeps the day's key); the SDK's signer, which
 * logs the canonical request with a session token at DEBUG, only signs a URL {@code SigV4} does
 * not handle (a query, dot segments).
 */
final class BedrockSigner implements Signer, AutoCloseable {
  static final String SIGNING_NAME = "bedrock";

  private final BedrockSettings settings;
  private final AwsCredentialsProvider credentials;
  /** Whether resolving {@link #credentials} never blocks, so that signing may run on any thread. */
  private final boolean inMemory;
  private final Executor lookups;
  private final List<Secret> secrets;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  /** Our own signer for the usual request shape: hashes the body held, keeps the day's key. */
  private final SigV4 sigV4;
  private final Clock clock;
  private final ErrorContext context;

  /** Signs with the credentials {@code settings} name; a lookup that may block runs on {@code lookups}. */
  BedrockSigner(BedrockSettings settings, Clock clock, String deployment, Executor lookups) {
    this(settings, credentialsProvider(settings), clock, deployment, lookups);
  }

  /** With {@code credentials} in place of the ones {@code settings} name (tests count their use). */
  BedrockSigner(BedrockSettings settings, AwsCredentialsProvider credentials, Clock clock, String deployment,
      Executor lookups) {
    this.settings = settings;
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.credentials = credentials;
    this.inMemory = credentials == null || credentials instanceof StaticCredentialsProvider;
    this.lookups = Objects.requireNonNull(lookups, "lookups == null");
    this.secrets = settings.secrets();
    this.context = new ErrorContext(Bedrock.TYPE, deployment);
    this.sigV4 = new SigV4(settings.region(), SIGNING_NAME);
  }

  private static AwsCredentialsProvider credentialsProvider(BedrockSettings s) {
    return switch (s.auth()) {
      case API_KEY -> null;
      case STATIC -> StaticCredentialsProvider.create(s.sessionToken().isPresent()
          ? AwsSessionCredentials.create(s.accessKeyId().get().reveal(), s.secretAccessKey().get().reveal(), s.sessionToken().get().reveal())
          : AwsBasicCredentials.create(s.accessKeyId().get().reveal(), s.secretAccessKey().get().reveal()));
      case PROFILE -> ProfileCredentialsProvider.builder().profileName(s.profile().get()).build();
      case DEFAULT_CHAIN -> {
        DefaultCredentialsProvider.Builder b = DefaultCredentialsProvider.builder();
        s.profile().ifPresent(b::profileName);
        yield b.build();
      }
    };
  }

  @Override
  public CompletableFuture<SignedRequest> sign(Request request, byte[] body) {
    if (inMemory || CallerRuns.armed()) {
      try {
        return CompletableFuture.completedFuture(signNow(request, body));
      } catch (SwitchboardException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(() -> signNow(request, body), lookups);
  }

  /** Resolves the credentials and signs, on this thread; throws AUTHENTICATION when either fails. */
  private SignedRequest signNow(Request request, byte[] body) {
    if (settings.apiKey().isPresent()) {
      return new SignedRequest(request.newBuilder().header("Authorization", "Bearer " + settings.apiKey().get().reveal())
          .build(), secrets);
    }
    AwsCredentials resolved;
    try {
      resolved = credentials.resolveCredentials();
    } catch (RuntimeException e) {
      // SDK messages name the providers tried, never secret values; scrub anyway.
      String why = HttpErrors.scrub(String.valueOf(e.getMessage()), secrets);
      throw context.error(ErrorKind.AUTHENTICATION,
          "could not resolve AWS credentials (auth=" + settings.auth().key + "): " + why).build();
    }
    try {
      // The body's media type as a header, so that it is signed (OpenAiCalls sets it on the body only).
      Request typed = request;
      if (typed.header("Content-Type") == null && typed.body() != null && typed.body().contentType() != null) {
        typed = typed.newBuilder().header("Content-Type", typed.body().contentType().toString()).build();
      }
      return new SignedRequest(sign(typed, body, resolved), secrets);
    } catch (RuntimeException e) {
      throw context.error(ErrorKind.AUTHENTICATION, "could not sign the request: " + e.getClass().getSimpleName()).build();
    }
  }

  /** Signs with {@link SigV4} when it handles the path (every Bedrock path), else with the SDK's signer. */
  Request sign(Request request, byte[] body, AwsCredentials resolved) {
    HttpUrl url = request.url();
    if (!SigV4.supports(url.encodedPath(), url.encodedQuery())) return sdkSign(request, body, resolved);
    return fastSign(request, url, body, resolved);
  }


  /** {@link SigV4}: the same headers the SDK's signer gives this request, at a fraction of its cost. */
  private Request fastSign(Request request, HttpUrl url, byte[] body, AwsCredentials resolved) {
    String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
    if (url.port() != HttpUrl.defaultPort(url.scheme())) host = host + ":" + url.port();
    String token = resolved instanceof AwsSessionCredentials session ? session.sessionToken() : null;
    SigV4.Signed signed = sigV4.sign(request.method(), host, url.encodedPath(), request.header("Content-Type"), body,
        resolved.accessKeyId(), resolved.secretAccessKey(), token, clock.instant());
    Request.Builder out = request.newBuilder()
        .header("Host", host)
        .header("x-amz-content-sha256", signed.contentSha256())
        .header("X-Amz-Date", signed.amzDate())
        .header("Authorization", signed.authorization());
    if (token != null) out.header("X-Amz-Security-Token", token);
    return out.build();
  }

  /** Signs with the SDK's signer: for a path or query {@link SigV4} does not handle (tests compare the two). */
  Request sdkSign(Request request, byte[] body, AwsCredentials resolved) {
    HttpUrl url = request.url();
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(request.method()))
        .protocol(url.scheme())
        .host(url.host())
        .port(url.port())
        // The path exactly as it goes on the wire; the signer encodes it once more, as SigV4 requires for non-S3 services.
        .encodedPath(url.encodedPath());
    if (url.encodedQuery() != null) {
      for (int i = 0; i < url.querySize(); i++) unsigned.appendRawQueryParameter(url.queryParameterName(i), url.queryParameterValue(i));
    }
    String contentType = request.header("Content-Type");
    if (contentType != null) unsigned.putHeader("Content-Type", contentType);
    software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = signer.sign(r -> r
        .identity(resolved)
        .request(unsigned.build())
        .payload(() -> new ByteArrayInputStream(body))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
        .putProperty(AwsV4HttpSigner.REGION_NAME, settings.region())
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Request.Builder out = request.newBuilder();
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      out.removeHeader(header.getKey());
      for (String value : header.getValue()) out.addHeader(header.getKey(), value);
    }
    return out.build();
  }

  /**
   * Signs a made-up request with made-up static credentials, entirely in memory, so the SDK's
   * signer classes (a few hundred) are loaded and initialised before the first real call. Never
   * touches the configured credentials (resolving them may reach IMDS) and sends nothing.
   */
  void warmUp() {
    if (settings.apiKey().isPresent()) return; // nothing to sign with a Bedrock API key
    Request fake = new Request.Builder()
        .url("https://bedrock-runtime." + settings.region() + ".amazonaws.com/model/warm-up/converse")
        .post(okhttp3.RequestBody.create(WARM_UP_BODY, BedrockProvider.JSON))
        .header("Content-Type", BedrockProvider.JSON.toString())
        .build();
    sign(fake, WARM_UP_BODY, WARM_UP_CREDENTIALS);
  }

  private static final byte[] WARM_UP_BODY = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  /** Not a key: the signer needs some identity to run; the signed result is thrown away. */
  private static final AwsCredentials WARM_UP_CREDENTIALS = AwsBasicCredentials.create("AKIDWARMUP", "warm-up-only");

  @Override
  public void close() {
    if (credentials instanceof SdkAutoCloseable c) c.close();
  }
}
