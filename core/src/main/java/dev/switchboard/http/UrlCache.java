package dev.switchboard.http;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * Request URLs built once per name (a model id, a deployment name): OkHttp's URL builder
 * re-encodes and checks every segment and the query, a measurable share of a call on a fast
 * network. Names come from the targets, a handful per deployment; past {@value #MAX_ENTRIES}
 * entries URLs are built per call and not kept, so a caller that varies the name per call cannot
 * grow the cache without bound. A name whose URL cannot be built throws from {@code build} and is
 * not kept. Thread-safe.
 */
public final class UrlCache {
  /** How many names one cache keeps. */
  public static final int MAX_ENTRIES = 256;

  private final Function<String, HttpUrl> build;
  private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();

  /** URLs made by {@code build}, which may throw (a {@code SwitchboardException} for a name that cannot be sent). */
  public UrlCache(Function<String, HttpUrl> build) {
    this.build = Objects.requireNonNull(build, "build == null");
  }

  /** The URL for {@code name}, built on its first use. */
  public HttpUrl get(String name) {
    HttpUrl url = urls.get(name);
    if (url != null) return url;
    url = build.apply(name);
    if (urls.size() < MAX_ENTRIES) urls.put(name, url);
    return url;
  }

  /** How many names are kept (for tests). */
  int size() {
    return urls.size();
  }
}
