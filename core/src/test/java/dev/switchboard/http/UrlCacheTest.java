package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class UrlCacheTest {
  private final HttpUrl base = HttpUrl.get("https://example.test/v1/");
  private final AtomicInteger built = new AtomicInteger();
  private final UrlCache cache = new UrlCache(name -> {
    built.incrementAndGet();
    if (name.isBlank()) throw SwitchboardException.of(ErrorKind.INVALID_REQUEST, "blank name");
    return base.newBuilder().addPathSegment(name).build();
  });

  @Test
  void aUrlIsBuiltOncePerName() {
    HttpUrl first = cache.get("gpt-4o");
    assertThat(cache.get("gpt-4o")).isSameAs(first);
    assertThat(first.encodedPath()).isEqualTo("/v1/gpt-4o");
    assertThat(built).hasValue(1);
  }

  @Test
  void aNameThatCannotBeSentThrowsEveryTimeAndIsNotKept() {
    assertThatThrownBy(() -> cache.get(" ")).isInstanceOf(SwitchboardException.class);
    assertThatThrownBy(() -> cache.get(" ")).isInstanceOf(SwitchboardException.class);
    assertThat(cache.size()).isZero();
  }

  @Test
  void pastTheCapUrlsAreStillBuiltButNotKept() {
    for (int i = 0; i < UrlCache.MAX_ENTRIES + 10; i++) cache.get("m" + i);
    assertThat(cache.size()).isEqualTo(UrlCache.MAX_ENTRIES);
    assertThat(cache.get("m" + (UrlCache.MAX_ENTRIES + 5)).encodedPath()).isEqualTo("/v1/m" + (UrlCache.MAX_ENTRIES + 5));
  }
}
