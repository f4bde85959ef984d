package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.TargetRef;
import dev.switchboard.aws.BedrockCodecAccess;
import dev.switchboard.azure.AzureCodecAccess;
import dev.switchboard.bench.baseline.TreeCodec;
import dev.switchboard.http.ErrorContext;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.openai.ExtraFields;
import dev.switchboard.openai.OpenAiCodec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per provider: serialise the typical request and parse the typical response with Switchboard's
 * codec ({@code switchboard*}) and with Jackson's tree model ({@code tree*}, the baseline),
 * producing the same bytes-worth of request and the same {@link ChatResponse}. Pair each
 * {@code switchboardX} with {@code treeX} for the ratio; add {@code -prof gc} for allocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
  private static final TargetRef OPENAI = new TargetRef("openai-bench", "openai", "gpt-4o-mini");
  private static final TargetRef AZURE = new TargetRef("azure-bench", "azure-openai", "gpt-4o-mini");
  private static final TargetRef BEDROCK = new TargetRef("bedrock-bench", "bedrock", Payloads.BEDROCK_MODEL);

  private ChatRequest request;
  private OpenAiCodec openAi;
  private OpenAiCodec.Options options;
  private ErrorContext openAiErrors;
  private ErrorContext azureErrors;
  private BedrockCodecAccess bedrock;
  private TreeCodec tree;
  private byte[] openAiBody;
  private byte[] azureBody;
  private byte[] bedrockBody;
  private byte[] bedrockLargeBody;

  @Setup
  public void setup() {
    ObjectMapper mapper = ProviderTestKit.newObjectMapper();
    request = Payloads.request("chat");
    openAi = new OpenAiCodec(mapper, Clock.systemUTC());
    options = new OpenAiCodec.Options(OpenAiCodec.MaxTokensField.MAX_COMPLETION_TOKENS, false, Map.of());
    openAiErrors = new ErrorContext("openai", OPENAI.deployment());
    azureErrors = new ErrorContext("azure-openai", AZURE.deployment());
    bedrock = new BedrockCodecAccess(mapper, BEDROCK.deployment());
    tree = new TreeCodec(mapper);
    openAiBody = Payloads.openAiResponse();
    azureBody = Payloads.azureResponse();
    bedrockBody = Payloads.bedrockResponse();
    bedrockLargeBody = Payloads.bedrockLargeResponse();
  }

  // ---- OpenAI (Azure sends the same request body) ---------------------------------------------

  @Benchmark
  public byte[] switchboardOpenAiRequest() {
    // The engine converts once per call; counted here, as BedrockCodecAccess counts it.
    return openAi.encodeRequest(ProviderRequest.from(request), OPENAI.model(), options);
  }

  @Benchmark
  public byte[] treeOpenAiRequest() {
    return tree.openAiRequest(request, OPENAI.model(), false);
  }

  @Benchmark
  public ChatResponse switchboardOpenAiResponse() {
    return openAi.decodeResponse(openAiBody, openAiErrors, List.of(), ExtraFields.NONE)
        .servedBy(OPENAI).requestId("req_1").build();
  }

  @Benchmark
  public ChatResponse treeOpenAiResponse() {
    return tree.openAiResponse(openAiBody);
  }

  // ---- Azure: the OpenAI codec plus the content-filter results ------------------------------

  @Benchmark
  public ChatResponse switchboardAzureResponse() {
    ExtraFields filters = AzureCodecAccess.newFilters();
    ChatResponse.Builder b = openAi.decodeResponse(azureBody, azureErrors, List.of(), filters).servedBy(AZURE).requestId("req_1");
    return AzureCodecAccess.addMetadata(b, filters).build();
  }

  @Benchmark
  public ChatResponse treeAzureResponse() {
    return tree.openAiResponse(azureBody);
  }

  // ---- Bedrock Converse -------------------------------------------------------------------------

  @Benchmark
  public byte[] switchboardBedrockRequest() {
    return bedrock.writeRequest(request);
  }

  @Benchmark
  public byte[] treeBedrockRequest() {
    return tree.bedrockRequest(request);
  }

  @Benchmark
  public ChatResponse switchboardBedrockResponse() {
    return bedrock.readResponse(bedrockBody, BEDROCK, "req-1");
  }

  @Benchmark
  public ChatResponse treeBedrockResponse() {
    return tree.bedrockResponse(bedrockBody, BEDROCK.model());
  }

  /**
   * A 4 MB Converse body (64 blocks of 64 KB text): Switchboard's reader walks the tokens straight
   * into the response (issue 22 item 6), the baseline builds the tree of the whole body first.
   */
  @Benchmark
  public ChatResponse switchboardBedrockLargeResponse() {
    return bedrock.readResponse(bedrockLargeBody, BEDROCK, "req-1");
  }

  @Benchmark
  public ChatResponse treeBedrockLargeResponse() {
    return tree.bedrockResponse(bedrockLargeBody, BEDROCK.model());
  }
}
