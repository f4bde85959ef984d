package dev.switchboard.metrics;

import java.util.Locale;

/**
 * Every metric and tag name Switchboard records, in one place. The {@code gen_ai.*} names follow
 * the OpenTelemetry GenAI semantic conventions; the {@code switchboard.*} ones are our own. Tag
 * values are always low-cardinality: configured names (aliases, deployments, provider types),
 * enums, and the model names providers report — never prompt text, request ids or user ids.
 */
public final class MetricNames {
  private MetricNames() {}

  // ---- OpenTelemetry GenAI metrics ---------------------------------------------------------------
  /** Timer: the whole call, retries and failover included (seconds). */
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  /** Distribution summary: tokens per call, tagged {@link #TOKEN_TYPE}. */
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  /** Timer: streams only, from the call's start to the first event reaching the caller. */
  public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
  /** Timer: streams only, between consecutive events after the first. */
  public static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";

  // ---- Switchboard's own ---------------------------------------------------------------------------
  /** Counter: attempts by target, outcome, error type and hedge flag. */
  public static final String ATTEMPTS = "switchboard.attempts";
  /** Counter: retries scheduled on the same target, by error type. */
  public static final String RETRIES = "switchboard.retries";
  /** Counter: failovers from one target to another, by error type. */
  public static final String FAILOVERS = "switchboard.failovers";
  /** Counter: hedge attempts started. */
  public static final String HEDGES_STARTED = "switchboard.hedges.started";
  /** Counter: races decided, tagged whether the hedge (not the primary) won. */
  public static final String HEDGES_WON = "switchboard.hedges.won";
  /** Counter: targets passed over without a call, by {@link #SKIP_REASON}. */
  public static final String SKIPPED = "switchboard.targets.skipped";
  /** Counter: retries or hedges not made because the retry budget was spent. */
  public static final String BUDGET_REJECTIONS = "switchboard.retry_budget.rejections";
  /** Counter (USD): cost of answered calls on targets with a configured price. */
  public static final String COST = "switchboard.cost";
  /** Gauge: a target's circuit state (0 closed, 1 open, 2 half-open, 3 disabled). */
  public static final String CIRCUIT_STATE = "switchboard.circuit.state";

  // ---- tags ----------------------------------------------------------------------------------------
  public static final String OPERATION = "gen_ai.operation.name";
  public static final String PROVIDER = "gen_ai.provider.name";
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  public static final String RESPONSE_MODEL = "gen_ai.response.model";
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  public static final String SERVER_ADDRESS = "server.address";
  public static final String ERROR_TYPE = "error.type";
  /** The deployment (target) name. */
  public static final String TARGET = "switchboard.target";
  public static final String FROM_TARGET = "switchboard.from_target";
  public static final String TO_TARGET = "switchboard.to_target";
  public static final String OUTCOME = "switchboard.outcome";
  public static final String HEDGE = "switchboard.hedge";
  public static final String SKIP_REASON = "switchboard.skip_reason";

  /** The value of {@link #ERROR_TYPE} and {@link #RESPONSE_MODEL} when there is none. */
  public static final String NONE = "none";

  /**
   * The OpenTelemetry {@code gen_ai.provider.name} for a Switchboard provider type:
   * {@code openai}, {@code azure.ai.openai}, {@code aws.bedrock}; other types as they are.
   */
  public static String providerName(String providerType) {
    return switch (providerType) {
      case "openai" -> "openai";
      case "azure-openai" -> "azure.ai.openai";
      case "bedrock" -> "aws.bedrock";
      default -> providerType;
    };
  }

  /** The lower-case tag value of an enum constant ({@code RATE_LIMITED} → {@code rate_limited}). */
  public static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
