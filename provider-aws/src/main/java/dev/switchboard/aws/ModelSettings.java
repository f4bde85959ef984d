package dev.switchboard.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ReasoningSettings;
import dev.switchboard.ReasoningSettings.Effort;
import dev.switchboard.spi.ProviderRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The typed settings Converse has no field of its own for, written into
 * {@code additionalModelRequestFields} the way each model family on Bedrock reads them:
 * <ul>
 *   <li>reasoning — Anthropic: a budget as {@code thinking {type: enabled, budget_tokens}}, an effort
 *       as {@code thinking {type: adaptive}} with {@code output_config.effort} ({@code low},
 *       {@code medium}, {@code high}, {@code max}; MINIMAL and XHIGH take the nearest, with a warning),
 *       {@link ReasoningSettings#enabled()} as {@code thinking {type: adaptive}}; OpenAI open-weight
 *       models: {@code reasoning_effort} ({@code low}/{@code medium}/{@code high}); Qwen:
 *       {@code reasoning_config} ({@code high} when only enabled). NONE sends nothing (reasoning is
 *       off unless asked for on these families). Other families, a budget outside Anthropic, and a
 *       summary: warnings.
 *   <li>{@code topK} — Anthropic {@code top_k}; Amazon Nova {@code inferenceConfig.topK}; other
 *       families: a warning.
 * </ul>
 * These are the shapes the recorded Bedrock traffic in the shared fixtures sends. The family is the
 * model id's provider segment, after an ARN's resource path and a cross-region inference profile's
 * geography prefix ({@code us.}, {@code global.}, ...).
 */
final class ModelSettings {
  private static final Set<String> FAMILIES = Set.of("anthropic", "amazon", "openai", "qwen", "meta", "mistral",
      "deepseek", "cohere", "ai21", "writer", "twelvelabs", "stability", "luma", "moonshot", "minimax", "google", "nvidia");

  private ModelSettings() {}

  /** The provider segment of a Bedrock model id ({@code anthropic}, {@code amazon}, ...), or "" if there is none. */
  static String family(String modelId) {
    String id = modelId;
    int slash = id.lastIndexOf('/');
    if (id.startsWith("arn:") && slash >= 0) id = id.substring(slash + 1);
    String[] parts = id.split("\\.", 3);
    if (parts.length >= 2 && FAMILIES.contains(parts[0].toLowerCase(Locale.ROOT))) return parts[0].toLowerCase(Locale.ROOT);
    if (parts.length >= 3 && FAMILIES.contains(parts[1].toLowerCase(Locale.ROOT))) return parts[1].toLowerCase(Locale.ROOT);
    return "";
  }

  /** Writes the request's reasoning and topK for {@code modelId}'s family into {@code fields}. */
  static void write(ProviderRequest request, String modelId, ObjectNode fields, List<String> warnings) {
    String family = family(modelId);
    request.reasoning().ifPresent(r -> reasoning(r, family, modelId, fields, warnings));
    request.topK().ifPresent(k -> {
      switch (family) {
        case "anthropic" -> fields.put("top_k", k);
        case "amazon" -> fields.putObject("inferenceConfig").put("topK", k);
        default -> warnings.add("topK is not mapped for model '" + modelId + "' on Bedrock and was not sent");
      }
    });
  }

  private static void reasoning(ReasoningSettings r, String family, String modelId, ObjectNode fields, List<String> warnings) {
    if (r.summary().isPresent()) warnings.add("reasoning summary is not supported by Bedrock Converse and was not sent");
    if (r.isOff()) return;
    switch (family) {
      case "anthropic" -> {
        if (r.budgetTokens().isPresent()) {
          fields.putObject("thinking").put("type", "enabled").put("budget_tokens", r.budgetTokens().getAsInt());
          if (r.effort().isPresent()) warnings.add("reasoning effort is not sent to Anthropic models when a budget is set");
          return;
        }
        fields.putObject("thinking").put("type", "adaptive");
        r.effort().ifPresent(e -> fields.putObject("output_config").put("effort", nearest(e,
            List.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH, Effort.MAX), modelId, warnings)));
      }
      case "openai" -> {
        budgetDropped(r, modelId, warnings);
        r.effort().ifPresent(e -> fields.put("reasoning_effort",
            nearest(e, List.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH), modelId, warnings)));
      }
      case "qwen" -> {
        budgetDropped(r, modelId, warnings);
        fields.put("reasoning_config", r.effort()
            .map(e -> nearest(e, List.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH), modelId, warnings)).orElse("high"));
      }
      default -> warnings.add("reasoning settings are not mapped for model '" + modelId + "' on Bedrock and were not sent");
    }
  }

  private static void budgetDropped(ReasoningSettings r, String modelId, List<String> warnings) {
    if (r.budgetTokens().isPresent()) {
      warnings.add("a reasoning budget is not supported by model '" + modelId + "' on Bedrock and was not sent");
    }
  }

  /** {@code effort}'s wire name if {@code levels} has it, else the nearest level's, with a warning. */
  private static String nearest(Effort effort, List<Effort> levels, String modelId, List<String> warnings) {
    if (levels.contains(effort)) return effort.wireName();
    Effort best = levels.get(0);
    for (Effort l : levels) {
      if (Math.abs(l.ordinal() - effort.ordinal()) < Math.abs(best.ordinal() - effort.ordinal())) best = l;
    }
    warnings.add("reasoning effort " + effort.wireName() + " is not offered by model '" + modelId + "'; sent "
        + best.wireName());
    return best.wireName();
  }
}
