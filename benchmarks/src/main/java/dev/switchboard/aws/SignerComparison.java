package dev.switchboard.aws;

import dev.switchboard.Secret;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * SigV4 signing alone: the provider's {@link SigV4} (through {@code RequestAuthenticator.sign})
 * against the SDK's signer ({@code sdkSign}) on a Converse request of the benchmark's size,
 * in interleaved rounds on one thread; thread CPU time and allocation per signature, median
 * of the rounds' ratios. {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.aws.SignerComparison 21}
 */
public final class SignerComparison {
  private SignerComparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
    int n = 2_000;
    BedrockSettings settings = BedrockSettings.parse(Bedrock.deployment("d").region("us-east-1")
        .endpoint("http://127.0.0.1:1234").staticCredentials(Secret.of("AKIDBENCHEXAMPLE"), Secret.of("bench-secret-key"))
        .build(), false, name -> null);
    byte[] body = new byte[942];
    Arrays.fill(body, (byte) 'a');
    Request r = new Request.Builder().url("http://127.0.0.1:1234/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse")
        .post(RequestBody.create(body, MediaType.get("application/json"))).header("Content-Type", "application/json")
        .tag(RequestAuthenticator.Payload.class, new RequestAuthenticator.Payload(body)).build();
    AwsCredentials creds = AwsBasicCredentials.create("AKIDBENCHEXAMPLE", "bench-secret-key");
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    double[] ratio = new double[rounds];
    double[] ours = new double[rounds];
    double[] sdk = new double[rounds];
    double[] oursAlloc = new double[rounds];
    double[] sdkAlloc = new double[rounds];
    try (RequestAuthenticator auth = new RequestAuthenticator(settings, Clock.systemUTC(), "d")) {
      for (int i = 0; i < 20_000; i++) sink += auth.sign(r, creds).headers().size() + auth.sdkSign(r, creds).headers().size();
      for (int k = 0; k < rounds; k++) {
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) sink += auth.sign(r, creds).headers().size();
        long c1 = threads.getCurrentThreadCpuTime();
        long a1 = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) sink += auth.sdkSign(r, creds).headers().size();
        long c2 = threads.getCurrentThreadCpuTime();
        long a2 = threads.getCurrentThreadAllocatedBytes();
        ours[k] = (c1 - c0) / 1e3 / n;
        sdk[k] = (c2 - c1) / 1e3 / n;
        ratio[k] = ours[k] / sdk[k];
        oursAlloc[k] = (a1 - a0) / (double) n;
        sdkAlloc[k] = (a2 - a1) / (double) n;
      }
    }
    for (double[] x : new double[][] {ratio, ours, sdk, oursAlloc, sdkAlloc}) Arrays.sort(x);
    int m = rounds / 2;
    System.out.printf(Locale.ROOT, "SigV4 %.2f us %.0f B/call; SDK signer %.2f us %.0f B/call; CPU ratio %.3f [%.3f..%.3f];"
        + " load average %.1f%s%n", ours[m], oursAlloc[m], sdk[m], sdkAlloc[m], ratio[m], ratio[0], ratio[rounds - 1],
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sink == 42 ? " " : "");
  }
}
