package dev.switchboard;

import java.util.Objects;

/**
 * Names one target in traces and responses: the deployment, its provider type, and the
 * provider-side model id or deployment name that was called.
 */
public record TargetRef(String deployment, String provider, String model) {
  public TargetRef {
    Objects.requireNonNull(deployment, "deployment == null");
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(model, "model == null");
  }

  @Override
  public String toString() {
    return deployment + "(" + provider + ":" + model + ")";
  }
}
