package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.trailbook.workload.Population.Actor;
import org.trailbook.workload.Population.Address;

class PopulationTest {
  private static final Population POPULATION = Fixtures.PARTS.population;

  @Test
  void hasFiveThousandDistinctActorsMostlyUsers() {
    var actors = POPULATION.actors();
    assertThat(actors).hasSize(5_000);
    assertThat(actors.stream().map(Actor::id).distinct()).hasSize(5_000);
    assertThat(actors.stream().filter(a -> a.type().equals("user")).count()).isGreaterThan(4_000);
    assertThat(actors.stream().map(Actor::type).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("user", "api_key", "system", "external");
  }

  @Test
  void usersHaveInventedCompanyEmails() {
    for (Actor user : POPULATION.users) {
      assertThat(user.email()).matches("[a-z]+\\.[a-z]+\\d*@[a-z-]+\\.example");
      assertThat(user.name()).contains(" ");
    }
  }

  @Test
  void hasTwoThousandDistinctValidAddressesSomeIpv6() throws Exception {
    Set<String> ips = Arrays.stream(POPULATION.addresses).map(Address::ip).collect(Collectors.toSet());
    assertThat(ips).hasSize(2_000);
    assertThat(ips.stream().filter(ip -> ip.contains(":")).count()).isEqualTo(Population.IPV6_ADDRESSES);
    for (String ip : ips) assertThat(InetAddress.getByName(ip).getHostAddress()).isNotNull(); // literals only
    for (Address address : POPULATION.addresses) assertThat(address.location()).matches(".+, [A-Z]{2}");
  }

  @Test
  void hasFiftyThousandResourcesOfTwelveTypes() {
    assertThat(POPULATION.resourceCount()).isEqualTo(50_000);
    assertThat(Population.KINDS).hasSize(12);
    Rng rng = new Rng(1);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      var resource = POPULATION.resource("campaign", rng, 0);
      assertThat(resource.id()).matches("cmp_\\d+");
      assertThat(resource.url()).endsWith("/campaigns/" + resource.id());
      seen.add(resource.name());
    }
    assertThat(seen.size()).isGreaterThan(50);
  }

  @Test
  void workspacesHaveDifferentFavouriteResources() {
    assertThat(POPULATION.resource("contact", new Rng(1), 0))
        .isNotEqualTo(POPULATION.resource("contact", new Rng(1), 1));
  }

  @Test
  void sameSeedBuildsTheSamePopulation() {
    Population again = new Population(Fixtures.SEED);
    assertThat(again.actors()).isEqualTo(POPULATION.actors());
    assertThat(again.addresses).isEqualTo(POPULATION.addresses);
  }

  @Test
  void noNameCarriesAMarkerWord() {
    String all = String.join(" ", POPULATION.actors().toString(), Arrays.toString(POPULATION.addresses));
    for (Marker marker : Marker.ALL) assertThat(all).doesNotContain(marker.word());
  }
}
