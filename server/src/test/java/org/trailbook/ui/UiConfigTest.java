package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trailbook.TrailbookException;

class UiConfigTest {
  @Test
  void readsResourceUrlTemplatesAndThePublicUrl() {
    UiConfig c = UiConfig.fromEnvironment(Map.of(
        "TRAILBOOK_RESOURCE_URLS", "campaign=https://app.example/campaigns/{id}, contact = http://crm.example/c/{id}",
        "TRAILBOOK_PUBLIC_URL", "https://audit.example/"));
    assertThat(c.resourceUrls()).containsExactlyInAnyOrderEntriesOf(Map.of("campaign", "https://app.example/campaigns/{id}", "contact", "http://crm.example/c/{id}"));
    assertThat(c.publicUrl()).isEqualTo("https://audit.example");
    assertThat(UiConfig.fromEnvironment(Map.of())).isEqualTo(UiConfig.DEFAULTS);
  }

  @Test
  void refusesTemplatesThatAreNotHttpAndNamesTheVariable() {
    assertThatThrownBy(() -> UiConfig.parseResourceUrls("campaign=javascript:alert(1)"))
        .isInstanceOf(TrailbookException.class).hasMessage("TRAILBOOK_RESOURCE_URLS: the template for 'campaign' must start with http:// or https://");
    assertThatThrownBy(() -> UiConfig.parseResourceUrls("no-equals-sign")).hasMessageStartingWith("TRAILBOOK_RESOURCE_URLS: 'no-equals-sign' must be");
    assertThatThrownBy(() -> UiConfig.fromEnvironment(Map.of("TRAILBOOK_PUBLIC_URL", "audit.example"))).hasMessageContaining("TRAILBOOK_PUBLIC_URL");
  }
}
