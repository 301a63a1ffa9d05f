// Every observation shape the probe writes is read back by reachanalyze's reader identically: property-style
// over generated observations (fixed seeds, so a failure reproduces), and over each shape's edge cases.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "record/observations_reader.h"

namespace rp {
namespace {

// Makes random but well-shaped observations: every field set or unset, strings with UTF-8 and escapes.
class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  Observation any() {
    switch (pick(7)) {
      case 0: return dns_query();
      case 1: return dns_exchange();
      case 2: return tcp_connect();
      case 3: return tls_handshake();
      case 4: return http_request();
      case 5: return path_localization();
      default: return capture_summary();
    }
  }

 private:
  std::mt19937 rng_;

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool coin() { return pick(2) == 0; }
  double time() { return std::uniform_real_distribution<double>(0, 30)(rng_); }
  std::string text() {
    static const char* const pieces[] = {"a", "example.com", "\"", "\\", "/", "ясень", "\n", "198.51.100.7", " ", "%"};
    std::string s;
    for (int i = pick(6); i > 0; --i) s += pieces[pick(10)];
    return s;
  }
  std::optional<std::string> maybe_text() { return coin() ? std::optional(text()) : std::nullopt; }
  template <typename E>
  E any_of() {
    return static_cast<E>(pick(static_cast<int>(EnumNames<E>::names.size())));
  }
  MaybeFailure failure() {
    if (coin()) return std::nullopt;
    const auto all = all_failures();
    return all[static_cast<std::size_t>(pick(static_cast<int>(all.size())))];
  }
  DnsType dns_type() { return coin() ? DnsType::A : DnsType::AAAA; }

  void base(ObservationBase& b) {
    b.id = pick(100000);
    b.target = text();
    b.t0 = time();
    b.t = time();
    b.failure = failure();
  }
  std::vector<DnsAnswerRecord> answers() {
    std::vector<DnsAnswerRecord> out(static_cast<std::size_t>(pick(4)));
    for (auto& a : out) a = {coin() ? "A" : "CNAME", text(), text(), static_cast<uint32_t>(pick(86400))};
    return out;
  }

  Observation dns_query() {
    DnsQueryObservation o;
    base(o);
    o.hostname = text();
    o.query_type = dns_type();
    o.resolver = text();
    o.rcode = maybe_text();
    o.answers = answers();
    return o;
  }
  Observation dns_exchange() {
    DnsExchangeObservation o;
    base(o);
    o.hostname = text();
    o.query_type = dns_type();
    o.server = text();
    o.purpose = any_of<DnsPurpose>();
    for (int i = pick(4); i > 0; --i) o.replies.push_back({time(), text(), answers()});
    o.malformed = pick(5);
    return o;
  }
  Observation tcp_connect() {
    TcpConnectObservation o;
    base(o);
    o.address = text();
    o.port = static_cast<uint16_t>(pick(65536));
    o.hostname = maybe_text();
    o.transaction = pick(1000);
    return o;
  }
  Observation tls_handshake() {
    TlsHandshakeObservation o;
    base(o);
    o.address = text();
    o.port = static_cast<uint16_t>(pick(65536));
    o.transaction = pick(1000);
    o.server_name = maybe_text();
    o.sni_kind = any_of<SniKind>();
    o.verify_name = text();
    o.trust = text();
    o.handshake_completed = coin();
    o.tls_version = maybe_text();
    o.cipher_suite = maybe_text();
    o.negotiated_alpn = maybe_text();
    for (int i = pick(3); i > 0; --i) o.peer_certificates.push_back(text());
    if (coin()) o.trusted = coin();
    o.verification_error = failure();
    o.verification_detail = maybe_text();
    return o;
  }
  Observation http_request() {
    HttpRequestObservation o;
    base(o);
    o.url = text();
    o.hop = pick(11);
    o.address = maybe_text();
    if (coin()) o.tls_verified = coin();
    if (coin()) o.healthy_match = coin();
    if (coin()) {
      HttpResponseRecord r;
      r.status = pick(600);
      for (int i = pick(4); i > 0; --i) r.headers.emplace_back(text(), text());
      r.body_length = static_cast<std::size_t>(pick(1 << 20));
      r.body_truncated = coin();
      r.body_sha256 = text();
      r.title = maybe_text();
      r.body_prefix = text();
      o.response = std::move(r);
    }
    o.redirect_location = maybe_text();
    return o;
  }
  Observation path_localization() {
    PathLocalizationObservation o;
    base(o);
    o.kind = any_of<LocalizationKind>();
    o.address = text();
    o.port = static_cast<uint16_t>(pick(65536));
    o.trigger = text();
    o.control = maybe_text();
    o.max_ttl = 1 + pick(32);
    for (int ttl = 1; ttl <= pick(9); ++ttl) {
      PathHopRecord h;
      h.ttl = ttl;
      h.router = maybe_text();
      h.trigger = any_of<HopOutcome>();
      if (coin()) h.control = any_of<HopOutcome>();
      if (coin()) h.companion = any_of<HopOutcome>();
      o.hops.push_back(std::move(h));
    }
    if (coin()) o.interference_ttl = pick(33);
    if (coin()) o.destination_ttl = pick(33);
    o.last_router_before = maybe_text();
    o.router_at = maybe_text();
    o.confirmed = coin();
    return o;
  }
  Observation capture_summary() {
    CaptureSummaryObservation o;
    base(o);
    for (int i = pick(4); i > 0; --i) o.steps.push_back(pick(1000));
    o.protocol = any_of<FlowProtocol>();
    o.remote = text();
    for (int i = pick(5); i > 0; --i) {
      CapturedPacketRecord p;
      p.t = time();
      p.kind = any_of<PacketKind>();
      p.ttl = pick(256);
      p.ip_id = pick(65536);
      // The writer's shape: DNS fields only with a DNS id, ICMP fields only with an ICMP type.
      if (p.kind == PacketKind::dns_reply) {
        p.dns_id = pick(65536);
        p.rcode = maybe_text();
        for (int k = pick(3); k > 0; --k) p.answers.push_back(text());
      }
      if (p.kind == PacketKind::icmp) {
        p.icmp_type = pick(256);
        if (coin()) p.icmp_code = pick(256);
        p.from = maybe_text();
      }
      o.packets.push_back(std::move(p));
    }
    return o;
  }
};

Observation read_back(const Observation& written) {
  // Through text, as records travel: the writer's JSON is dumped and parsed again before it is read.
  const auto parsed = nlohmann::json::parse(to_json(written).dump());
  const auto read = read_observation(parsed, "observations[0]");
  EXPECT_TRUE(read.has_value());
  return read.value_or(written);
}

TEST(RecordRoundTrip, EveryGeneratedObservationReadsBackIdentically) {
  for (unsigned seed = 1; seed <= 2000; ++seed) {
    Generator g(seed);
    const Observation written = g.any();
    const Observation read = read_back(written);
    ASSERT_EQ(read, written) << "seed " << seed << ": " << to_json(written).dump();
    ASSERT_EQ(to_json(read).dump(), to_json(written).dump()) << "seed " << seed;
  }
}

TEST(RecordRoundTrip, EveryShapeIsGenerated) {
  std::set<std::size_t> shapes;
  for (unsigned seed = 1; seed <= 200; ++seed) shapes.insert(Generator(seed).any().index());
  EXPECT_EQ(shapes.size(), std::variant_size_v<Observation>);
}

TEST(RecordReader, KeepsAnUnknownObservationTypeOutWithoutFailing) {
  const auto j = nlohmann::json::parse(
      R"({"id": 3, "type": "quic_handshake", "target": "t", "t0": 0, "t": 0.5, "failure": null})");
  EXPECT_FALSE(read_observation(j, "observations[0]").has_value());
}

TEST(RecordReader, NamesThePathOfAnUnknownEnumValue) {
  TlsHandshakeObservation tls;
  tls.sni_kind = SniKind::neutral;
  auto j = to_json(tls);
  j["sni_kind"] = "nuetral";
  try {
    read_observation(j, "observations[2]");
    FAIL() << "a misspelt sni_kind was accepted";
  } catch (const RecordError& e) {
    EXPECT_EQ(std::string(e.what()), "observations[2].sni_kind: expected target, neutral or none");
  }
}

TEST(RecordReader, RefusesAFailureStringNotInTheTable) {
  auto j = to_json(TcpConnectObservation{});
  j["failure"] = "connection_reste";
  EXPECT_THROW(read_observation(j, "observations[0]"), RecordError);
}

TEST(RecordReader, RefusesAnOutOfRangePort) {
  auto j = to_json(TcpConnectObservation{});
  j["port"] = 65536;
  EXPECT_THROW(read_observation(j, "observations[0]"), RecordError);
}

}  // namespace
}  // namespace rp
