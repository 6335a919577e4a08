package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The filter on its own: the id is in the MDC exactly while the rest of the chain runs on this thread, and gone after,
 * also when the chain throws, so a thread that serves another request next never logs under the wrong id.
 */
class RequestIdsTest {
  @AfterEach
  void clean() {
    MDC.clear();
  }

  @Test
  void theIdIsInTheMdcWhileTheChainRunsAndGoneAfterEvenWhenItThrows() {
    Map<String, Object> headers = new HashMap<>();
    String[] during = new String[1];
    FilterChain failing = (req, res) -> {
      during[0] = MDC.get(RequestIds.MDC_KEY);
      throw new IllegalStateException("the handler failed");
    };
    MDC.put("other", "kept");
    assertThatThrownBy(() -> new RequestIds().doFilter(request("caller-1"), response(headers), failing)).hasMessage("the handler failed");
    assertThat(during[0]).isEqualTo("caller-1");
    assertThat(headers).containsEntry(RequestIds.HEADER, "caller-1");
    assertThat(MDC.get(RequestIds.MDC_KEY)).isNull();
    assertThat(MDC.get("other")).isEqualTo("kept");
  }

  @Test
  void generatedIdsAreSixteenHexDigitsAndDiffer() throws Exception {
    Map<String, Object> headers = new HashMap<>();
    FilterChain nothing = (ServletRequest req, ServletResponse res) -> {};
    new RequestIds().doFilter(request("bad id"), response(headers), nothing);
    String first = (String) headers.get(RequestIds.HEADER);
    new RequestIds().doFilter(request(null), response(headers), nothing);
    assertThat(first).matches("[0-9a-f]{16}");
    assertThat((String) headers.get(RequestIds.HEADER)).matches("[0-9a-f]{16}").isNotEqualTo(first);
    assertThat(MDC.get(RequestIds.MDC_KEY)).isNull();
  }

  private static HttpServletRequest request(String header) {
    Map<String, Object> attributes = new HashMap<>();
    return (HttpServletRequest) Proxy.newProxyInstance(RequestIdsTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
      case "getHeader" -> RequestIds.HEADER.equalsIgnoreCase((String) args[0]) ? header : null;
      case "setAttribute" -> attributes.put((String) args[0], args[1]);
      case "getAttribute" -> attributes.get((String) args[0]);
      default -> throw new UnsupportedOperationException(m.getName());
    });
  }

  private static HttpServletResponse response(Map<String, Object> headers) {
    return (HttpServletResponse) Proxy.newProxyInstance(RequestIdsTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
      case "setHeader" -> headers.put((String) args[0], args[1]);
      default -> throw new UnsupportedOperationException(m.getName());
    });
  }
}
