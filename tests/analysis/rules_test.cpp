// One test per attribution rule (and the cases that must not fire), on records built in code.
#include <gtest/gtest.h>

#include "record_builder.h"

namespace ra::test {
namespace {

const std::string kUrl = "https://chat.example.com/";
const std::string kHost = "chat.example.com";
const std::string kIp = "198.18.10.10";

Record healthy_control() { return RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp).build(); }

void expect(const Decision& d, const char* rule, Attribution a, const char* mechanism, Confidence c) {
  EXPECT_EQ(d.rule, rule) << d.finding.evidence.sentence;
  EXPECT_EQ(to_string(d.finding.attribution), to_string(a)) << d.finding.evidence.sentence;
  EXPECT_EQ(d.finding.mechanism, mechanism) << d.finding.evidence.sentence;
  EXPECT_EQ(to_string(d.finding.confidence), to_string(c)) << d.finding.evidence.sentence;
  EXPECT_FALSE(d.finding.evidence.sentence.empty());
}

// --- DNS ---------------------------------------------------------------------------------------------------

TEST(Rules, AnswerToAQuestionSentToANonDnsHostIsInjection) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"10.10.34.36"});
  const int watch = v.dnsx(kUrl, kHost, "injection_check", {{"10.10.34.36"}});
  v.tcp(kUrl, "10.10.34.36", 443, "network_unreachable");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "dns_injection_seen", Attribution::network_interference, "dns.injected", Confidence::high);
  EXPECT_NE(std::find(d.finding.evidence.observations.begin(), d.finding.evidence.observations.end(),
                      r.measurement_id + "#" + std::to_string(watch)),
            d.finding.evidence.observations.end());
}

TEST(Rules, GenuineAnswerFromAHostThatDoesRunDnsIsNotInjection) {
  // e.g. measuring https://dns.example/ whose own address serves DNS: the "no DNS here" check gets a true answer.
  RecordBuilder v(kUrl);
  v.https_ok(kUrl, kHost, kIp, 500, "oops");
  v.dnsx(kUrl, kHost, "injection_check", {{kIp}});
  const Record r = v.build(), c = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 500, "oops").build();
  expect(judge(r, &c), "control_shares_failure", Attribution::service_outage, "http.server_error", Confidence::high);
}

TEST(Rules, TwoDisagreeingRepliesToOneQuestionAreInjection) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"10.10.34.36"});
  v.dnsx(kUrl, kHost, "duplicate_watch", {{"10.10.34.36"}, {kIp}});
  v.tcp(kUrl, "10.10.34.36", 443, "network_unreachable");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "dns_injection_seen", Attribution::network_interference, "dns.injected", Confidence::high);
}

TEST(Rules, IdenticalDuplicateRepliesAreNotInjection) {
  RecordBuilder v(kUrl);
  v.https_ok(kUrl, kHost, kIp);
  v.dnsx(kUrl, kHost, "duplicate_watch", {{kIp}, {kIp}});
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "reachable", Attribution::reachable, "none", Confidence::high);
}

TEST(Rules, BogonAnswerTheControlDidNotGetIsNetworkInterference) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"10.10.34.36"});
  v.tcp(kUrl, "10.10.34.36", 443, "network_unreachable");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "dns_bogon", Attribution::network_interference, "dns.bogon", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("10.10.34.36"), std::string::npos);
}

TEST(Rules, LoopbackAnswerWithoutControlIsInconclusiveAndSaysWhatAControlWouldTell) {
  // A name whose owner points it at 127.0.0.1 looks exactly like a resolver that blocks with 127.0.0.1.
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"127.0.0.1"});
  v.tcp(kUrl, "127.0.0.1", 443, "connection_refused");
  const Record r = v.build();
  const Decision d = judge(r);
  expect(d, "dns_bogon", Attribution::inconclusive, "dns.bogon", Confidence::low);
  EXPECT_NE(d.finding.evidence.sentence.find("Without a control"), std::string::npos) << d.finding.evidence.sentence;
  EXPECT_NE(d.finding.evidence.sentence.find("a control that resolved " + kHost + " elsewhere"), std::string::npos)
      << d.finding.evidence.sentence;
}

TEST(Rules, KnownCensorsPrivateAddressWithoutControlIsStillNetworkButLessCertain) {
  // 10.10.34.34 is Iran's national blockpage (OONI ooni.ir_4): evidence on its own, unlike a bare loopback.
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"10.10.34.34"});
  v.tcp(kUrl, "10.10.34.34", 443, "network_unreachable");
  const Record r = v.build();
  expect(judge(r), "dns_bogon", Attribution::network_interference, "dns.bogon", Confidence::medium);
}

TEST(Rules, LoopbackAnswerWithoutControlDoesNotHideAServiceReachedAtItsOtherAddress) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"127.0.0.1", kIp});
  v.tcp(kUrl, "127.0.0.1", 443, "connection_refused");
  v.https_ok(kUrl, kHost, kIp);
  const Record r = v.build();
  expect(judge(r), "reachable", Attribution::reachable, "none", Confidence::high);
}

TEST(Rules, LoopbackAnswerEveryResolverGivesIsTheNamesOwnNotTheNetworks) {
  // The vantage's 127.0.0.1 matches a vague blockpage-IP fingerprint (cl.dns_br_localhost), but the control
  // got the same answer: the name points there for everyone.
  RecordBuilder v(kUrl), c(kUrl);
  for (auto* b : {&v, &c}) {
    b->dns(kUrl, kHost, {"127.0.0.1"});
    b->tcp(kUrl, "127.0.0.1", 443, "connection_refused");
  }
  const Record r = v.build(), cr = c.build();
  const Decision d = judge(r, &cr);
  expect(d, "control_shares_failure", Attribution::service_outage, "tcp.reset", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("Both resolved " + kHost + " to 127.0.0.1"), std::string::npos)
      << d.finding.evidence.sentence;
  EXPECT_NE(d.finding.evidence.sentence.find("not evidence against this vantage's network"), std::string::npos)
      << d.finding.evidence.sentence;
}

TEST(Rules, BogonTheControlAlsoGetsIsNotBlamedOnTheNetwork) {
  RecordBuilder v(kUrl), c(kUrl);
  for (auto* b : {&v, &c}) {
    b->dns(kUrl, kHost, {"192.168.7.7"});
    b->tcp(kUrl, "192.168.7.7", 443, "generic_timeout_error");
  }
  const Record r = v.build(), cr = c.build();
  expect(judge(r, &cr), "control_shares_failure", Attribution::service_outage, "tcp.timeout", Confidence::high);
}

TEST(Rules, BenchmarkingRangeAnswerIsABogonByDefault) {
  // 198.18.0.0/15 is special-purpose (RFC 2544): no public service lives there, so a DNS answer there is forged.
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"198.18.5.5"});
  v.tcp(kUrl, "198.18.5.5", 443, "generic_timeout_error");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c, shipped_fingerprints(), default_bogons());
  expect(d, "dns_bogon", Attribution::network_interference, "dns.bogon", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("198.18.0.0/15"), std::string::npos) << d.finding.evidence.sentence;
}

TEST(Rules, BenchmarkingRangeIsOrdinaryWhenSpecialPurposeIsAllowed) {
  // The lab puts every real host there and says --allow-special-purpose; then it must not look forged.
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, "198.18.5.5").build();
  expect(judge(r, nullptr, shipped_fingerprints(), default_bogons(AddressPolicy{.allow_special_purpose = true})),
         "reachable", Attribution::reachable, "none", Confidence::high);
}

TEST(Rules, KnownBlockpageAddressInDnsIsNetworkInterference) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"195.175.254.2"});  // Turkish national blockpage server (OONI ooni.tr_0)
  v.tcp(kUrl, "195.175.254.2", 443, "connection_refused");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  if (shipped_fingerprints().match_dns("195.175.254.2").empty()) GTEST_SKIP() << "fingerprint not in catalogue";
  expect(d, "dns_blockpage_ip", Attribution::network_interference, "dns.blockpage_ip", Confidence::high);
  EXPECT_FALSE(d.finding.evidence.fingerprints.empty());
}

// A catalogue with one vague and one specific blockpage address, both in the lab's range (not bogons there).
const FingerprintCatalogue& lab_dns_fingerprints() {
  static const FingerprintCatalogue cat = [] {
    FingerprintCatalogue fp;
    fp.add_document(json::parse(R"({"format":"reachprobe-fingerprints/1","fingerprints":[
      {"id":"t.vague","attribution":"network_interference","scope":"vbw",
       "match":[{"location":"dns.answer","pattern_type":"full","pattern":"198.18.66.66"}],"source":"s","checked":"2026-12-02"},
      {"id":"t.national","attribution":"network_interference","scope":"nat",
       "match":[{"location":"dns.answer","pattern_type":"full","pattern":"198.18.77.77"}],"source":"s","checked":"2026-12-02"}]})"),
                    "t.json");
    return fp;
  }();
  return cat;
}

Record resolved_to_and_timed_out(const std::string& addr) {
  RecordBuilder b(kUrl);
  b.dns(kUrl, kHost, {addr});
  b.tcp(kUrl, addr, 443, "generic_timeout_error");
  return b.build();
}

TEST(Rules, VagueBlockpageAddressTheControlResolvesElsewhereIsNetworkWithMediumConfidence) {
  const Record r = resolved_to_and_timed_out("198.18.66.66"), c = healthy_control();
  expect(judge(r, &c, lab_dns_fingerprints()), "dns_blockpage_ip", Attribution::network_interference,
         "dns.blockpage_ip", Confidence::medium);
}

TEST(Rules, VagueBlockpageAddressTheControlGetsTooIsNotEvidenceAgainstTheNetwork) {
  const Record r = resolved_to_and_timed_out("198.18.66.66"), c = resolved_to_and_timed_out("198.18.66.66");
  const Decision d = judge(r, &c, lab_dns_fingerprints());
  expect(d, "control_shares_failure", Attribution::service_outage, "tcp.timeout", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("(t.vague): an answer the control shares is the name's own"),
            std::string::npos)
      << d.finding.evidence.sentence;
}

TEST(Rules, VagueBlockpageAddressWithoutControlIsInconclusiveAndSaysWhatAControlWouldTell) {
  const Record r = resolved_to_and_timed_out("198.18.66.66");
  const Decision d = judge(r, nullptr, lab_dns_fingerprints());
  expect(d, "dns_blockpage_ip", Attribution::inconclusive, "dns.blockpage_ip", Confidence::low);
  EXPECT_NE(d.finding.evidence.sentence.find("one that got 198.18.66.66 too would show the name itself points there"),
            std::string::npos)
      << d.finding.evidence.sentence;
}

TEST(Rules, KnownCensorAddressTheControlGetsTooIsInconclusiveNotNetwork) {
  // Either the name really points there or the control's resolver is filtered as well: no clean comparison.
  const Record r = resolved_to_and_timed_out("198.18.77.77"), c = resolved_to_and_timed_out("198.18.77.77");
  const Decision d = judge(r, &c, lab_dns_fingerprints());
  expect(d, "dns_blockpage_ip", Attribution::inconclusive, "dns.blockpage_ip", Confidence::low);
  EXPECT_NE(d.finding.evidence.sentence.find("the control got the same answer"), std::string::npos)
      << d.finding.evidence.sentence;
}

TEST(Rules, KnownCensorAddressWithoutControlIsStillNetworkButLessCertain) {
  const Record r = resolved_to_and_timed_out("198.18.77.77");
  expect(judge(r, nullptr, lab_dns_fingerprints()), "dns_blockpage_ip", Attribution::network_interference,
         "dns.blockpage_ip", Confidence::medium);
}

TEST(Rules, NxdomainWhereTheControlResolvesIsNetworkInterference) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {}, "NXDOMAIN", "dns_nxdomain_error");
  v.dns(kUrl, kHost, {}, "NXDOMAIN", "dns_nxdomain_error", "AAAA");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "dns_nxdomain_vs_control", Attribution::network_interference, "dns.nxdomain", Confidence::high);
}

TEST(Rules, NxdomainWithoutControlIsInconclusive) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {}, "NXDOMAIN", "dns_nxdomain_error");
  const Record r = v.build();
  const Decision d = judge(r);
  expect(d, "thin_evidence", Attribution::inconclusive, "dns.nxdomain", Confidence::low);
  EXPECT_NE(d.finding.evidence.sentence.find("without a control"), std::string::npos);
}

TEST(Rules, NxdomainTheControlSharesIsAnOutage) {
  RecordBuilder v(kUrl), c(kUrl);
  v.dns(kUrl, kHost, {}, "NXDOMAIN", "dns_nxdomain_error");
  c.dns(kUrl, kHost, {}, "NXDOMAIN", "dns_nxdomain_error");
  const Record r = v.build(), cr = c.build();
  expect(judge(r, &cr), "control_shares_failure", Attribution::service_outage, "dns.nxdomain", Confidence::high);
}

TEST(Rules, UnreachableResolverOnBothSidesIsNotAServiceOutage) {
  RecordBuilder v(kUrl), c(kUrl);
  for (auto* b : {&v, &c}) b->dns(kUrl, kHost, {}, "NOERROR", "connection_refused");
  const Record r = v.build(), cr = c.build();
  expect(judge(r, &cr), "thin_evidence", Attribution::inconclusive, "dns.resolver_unreachable", Confidence::low);
}

TEST(Rules, DisjointAnswerServingTheWrongCertificateIsForgedDns) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"198.18.99.99"});
  const int tx = v.tcp(kUrl, "198.18.99.99", 443);
  v.tls(kUrl, "198.18.99.99", 443, tx, kHost, "target", true, false, "ssl_invalid_hostname", "ssl_invalid_hostname");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "dns_forged_vs_control", Attribution::network_interference, "dns.injected", Confidence::high);
}

TEST(Rules, DisjointAnswerWhereNothingListensIsForgedDns) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"198.18.50.50"});
  v.tcp(kUrl, "198.18.50.50", 443, "connection_refused");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "dns_forged_vs_control", Attribution::network_interference, "dns.injected", Confidence::high);
}

TEST(Rules, DisjointAnswerThatValidatesIsJustAnotherCdnEdge) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, "198.18.77.77").build(), c = healthy_control();
  expect(judge(r, &c), "reachable", Attribution::reachable, "none", Confidence::high);
}

TEST(Rules, DisjointAnswerThatOnlyTimesOutIsNotCalledForged) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"198.18.99.99"});
  v.tcp(kUrl, "198.18.99.99", 443, "generic_timeout_error");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "unlocalised_timeout", Attribution::inconclusive, "tcp.timeout", Confidence::low);
}

// --- TCP and TLS -------------------------------------------------------------------------------------------

RecordBuilder sni_filtered(const char* failure) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "target", false, nullptr, failure);
  tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "neutral", true, true);
  tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "none", true, true);
  v.http(kUrl, kUrl, kIp, nullptr, -1, "", {}, 0, nullptr, failure);
  return v;
}

TEST(Rules, ResetAfterClientHelloNamingTheServiceWhileNeutralNameWorksIsSniFiltering) {
  const Record r = sni_filtered("connection_reset").build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "sni_dependent_tls_failure", Attribution::network_interference, "tls.sni_reset", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("neutral name"), std::string::npos);
  EXPECT_GE(d.finding.evidence.observations.size(), 4u);
}

TEST(Rules, TimeoutAfterClientHelloNamingTheServiceWhileNeutralNameWorksIsSniFiltering) {
  const Record r = sni_filtered("generic_timeout_error").build(), c = healthy_control();
  expect(judge(r, &c), "sni_dependent_tls_failure", Attribution::network_interference, "tls.sni_timeout",
         Confidence::high);
}

TEST(Rules, SniFilteringWithoutControlIsNetworkWithMediumConfidence) {
  const Record r = sni_filtered("connection_reset").build();
  expect(judge(r), "sni_dependent_tls_failure", Attribution::network_interference, "tls.sni_reset", Confidence::medium);
}

TEST(Rules, SniFilteringLocalisedBeforeTheServerNeedsNoControlForHighConfidence) {
  RecordBuilder v = sni_filtered("connection_reset");
  v.json_ref()["observations"].push_back({{"id", 99},
                                          {"type", "path_localization"},
                                          {"target", kUrl},
                                          {"t0", 1},
                                          {"t", 2},
                                          {"failure", nullptr},
                                          {"kind", "tls_sni"},
                                          {"address", kIp},
                                          {"port", 443},
                                          {"trigger", "ClientHello"},
                                          {"control", "ClientHello"},
                                          {"max_ttl", 8},
                                          {"hops", nlohmann::json::array()},
                                          {"interference_ttl", 2},
                                          {"last_router_before", "198.18.1.1"},
                                          {"router_at", nullptr},
                                          {"destination_ttl", 3},
                                          {"confirmed", true}});
  const Record r = v.build();
  const Decision d = judge(r);
  expect(d, "sni_dependent_tls_failure", Attribution::network_interference, "tls.sni_reset", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("hop 2"), std::string::npos);
}

// A link shortener: the target answers over verified TLS with a redirect to another host, measured as hop 1.
const std::string kHopUrl = "https://cdn.example.com/page";
const std::string kHopHost = "cdn.example.com";
const std::string kHopIp = "198.18.10.15";

RecordBuilder redirected_to(const std::string& hop_address) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost);
  v.http(kUrl, kUrl, kIp, true, 302, "", {{"Location", kHopUrl}}, 0, kHopUrl);
  v.dns(kUrl, kHopHost, {hop_address});
  return v;
}

RecordBuilder sni_filtered_on_the_second_hop() {
  RecordBuilder v = redirected_to(kHopIp);
  int tx = v.tcp(kUrl, kHopIp, 443);
  v.tls(kUrl, kHopIp, 443, tx, kHopHost, "target", false, nullptr, "connection_reset");
  tx = v.tcp(kUrl, kHopIp, 443);
  v.tls(kUrl, kHopIp, 443, tx, kHopHost, "neutral", true, true);
  v.http(kUrl, kHopUrl, kHopIp, false, -1, "", {}, 1, nullptr, "connection_reset");
  return v;
}

Record healthy_redirect_control() {
  RecordBuilder c = redirected_to(kHopIp);
  const int tx = c.tcp(kUrl, kHopIp, 443);
  c.tls(kUrl, kHopIp, 443, tx, kHopHost);
  c.http(kUrl, kHopUrl, kHopIp, true, 200, "<title>OK service</title>", {}, 1);
  return c.build();
}

TEST(Rules, ARedirectHopsHostResetOnlyWhenNamedIsSniFilteringThoughTheFirstHopAuthenticated) {
  const Record r = sni_filtered_on_the_second_hop().build(), c = healthy_redirect_control();
  const Decision d = judge(r, &c);
  expect(d, "sni_dependent_tls_failure", Attribution::network_interference, "tls.sni_reset", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find(
                "chat.example.com redirected to cdn.example.com. TLS to cdn.example.com at "
                "198.18.10.15 was reset"),
            std::string::npos)
      << d.finding.evidence.sentence;
  EXPECT_NE(d.finding.evidence.sentence.find("the control completed the handshake for cdn.example.com"),
            std::string::npos)
      << d.finding.evidence.sentence;
}

TEST(Rules, ARedirectHopsHostAuthenticatedAtAnotherAddressIsNotSniFiltering) {
  RecordBuilder v = sni_filtered_on_the_second_hop();
  const int tx = v.tcp(kUrl, "198.18.10.16", 443);
  v.tls(kUrl, "198.18.10.16", 443, tx, kHopHost);
  const Record r = v.build(), c = healthy_redirect_control();
  EXPECT_NE(judge(r, &c).rule, "sni_dependent_tls_failure");
}

TEST(Rules, AChainStoppedByResetsAtARedirectHopsHostIsJudgedAtThatHost) {
  RecordBuilder v = redirected_to(kHopIp);
  v.tcp(kUrl, kHopIp, 443, "connection_refused");
  const Record r = v.build(), c = healthy_redirect_control();
  const Decision d = judge(r, &c);
  expect(d, "reset_vs_control", Attribution::network_interference, "tcp.reset", Confidence::medium);
  EXPECT_NE(d.finding.evidence.sentence.find(kHopIp), std::string::npos) << d.finding.evidence.sentence;
}

TEST(Rules, AChainStoppedAtARedirectHopsUnresolvedNameIsJudgedAtThatName) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost);
  v.http(kUrl, kUrl, kIp, true, 302, "", {{"Location", kHopUrl}}, 0, kHopUrl);
  v.dns(kUrl, kHopHost, {}, "NXDOMAIN", "dns_nxdomain_error");
  const Record r = v.build();
  const Side side = make_side(r, r.targets.front());
  const Outcome o = outcome(side);
  EXPECT_EQ(o.stage, Stage::dns);
  EXPECT_EQ(o.failure, "dns_nxdomain_error");
}

TEST(Rules, TlsFailureForEveryNameIsNotSniFiltering) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  for (const char* kind : {"target", "neutral", "none"}) {
    const int tx = v.tcp(kUrl, kIp, 443);
    v.tls(kUrl, kIp, 443, tx, kHost, kind, false, nullptr, "generic_timeout_error");
  }
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "unlocalised_timeout", Attribution::inconclusive, "tls.timeout", Confidence::low);
}

TEST(Rules, UntrustedCertificateWhereTheControlGetsAValidOneIsInterception) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "target", true, false, "ssl_unknown_authority", "ssl_unknown_authority");
  v.http(kUrl, kUrl, kIp, false, -1, "", {}, 0, nullptr, "ssl_unknown_authority");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "untrusted_certificate", Attribution::network_interference, "tls.cert_invalid",
         Confidence::high);
}

TEST(Rules, SelfSignedCertificateWithoutControlIsInconclusiveAndSaysWhatAControlWouldTell) {
  // An interceptor's certificate and a server's own self-signed one look the same from one vantage.
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "target", true, false, "ssl_unknown_authority", "ssl_unknown_authority");
  v.http(kUrl, kUrl, kIp, false, -1, "", {}, 0, nullptr, "ssl_unknown_authority");
  const Record r = v.build();
  const Decision d = judge(r);
  expect(d, "untrusted_certificate", Attribution::inconclusive, "tls.cert_invalid", Confidence::low);
  EXPECT_NE(d.finding.evidence.sentence.find("a control that got a valid certificate for " + kHost +
                                             " would show someone in the middle"),
            std::string::npos)
      << d.finding.evidence.sentence;
}

TEST(Rules, SelfSignedCertificateTheControlSharesIsTheServicesOwn) {
  RecordBuilder v(kUrl), c(kUrl);
  for (auto* b : {&v, &c}) {
    b->dns(kUrl, kHost, {kIp});
    const int tx = b->tcp(kUrl, kIp, 443);
    b->tls(kUrl, kIp, 443, tx, kHost, "target", true, false, "ssl_unknown_authority", "ssl_unknown_authority");
  }
  const Record r = v.build(), cr = c.build();
  expect(judge(r, &cr), "control_shares_failure", Attribution::service_outage, "tls.cert_invalid", Confidence::high);
}

TEST(Rules, ExpiredCertificateWithoutControlIsNotBlamedOnTheNetwork) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "target", true, false, "ssl_invalid_certificate", "ssl_invalid_certificate");
  const Record r = v.build();
  EXPECT_EQ(judge(r).finding.attribution, Attribution::inconclusive);
}

TEST(Rules, CertificateForAnotherNameWithoutControlIsNotBlamedOnTheNetwork) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "target", true, false, "ssl_invalid_hostname", "ssl_invalid_hostname");
  const Record r = v.build();
  EXPECT_EQ(judge(r).finding.attribution, Attribution::inconclusive);
}

TEST(Rules, UntrustedCertificateOnABareIpEndpointWithoutControlIsNotBlamedOnTheNetwork) {
  const std::string ep = "149.154.167.51:443/tls";
  RecordBuilder v(ep, "endpoint");
  const int tx = v.tcp(ep, "149.154.167.51", 443);
  v.tls(ep, "149.154.167.51", 443, tx, "149.154.167.51", "target", true, false, "ssl_unknown_authority",
        "ssl_unknown_authority");
  const Record r = v.build();
  EXPECT_EQ(judge(r).finding.attribution, Attribution::inconclusive);
}

TEST(Rules, PinMismatchWithoutControlIsNotBlamedOnTheNetwork) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "target", true, false, "ssl_unknown_authority", "ssl_unknown_authority", "pinned");
  const Record r = v.build();
  EXPECT_EQ(judge(r).finding.attribution, Attribution::inconclusive);
}

TEST(Rules, UntrustedCertificateTheControlSharesIsTheProvidersOutage) {
  RecordBuilder v(kUrl), c(kUrl);
  for (auto* b : {&v, &c}) {
    b->dns(kUrl, kHost, {kIp});
    const int tx = b->tcp(kUrl, kIp, 443);
    b->tls(kUrl, kIp, 443, tx, kHost, "target", true, false, "ssl_invalid_certificate", "ssl_invalid_certificate");
  }
  const Record r = v.build(), cr = c.build();
  expect(judge(r, &cr), "control_shares_failure", Attribution::service_outage, "tls.cert_invalid", Confidence::high);
}

TEST(Rules, ConnectionRefusedWhereTheControlConnectsToTheSameAddressIsNetworkWithMediumConfidence) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.tcp(kUrl, kIp, 443, "connection_refused");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "reset_vs_control", Attribution::network_interference, "tcp.reset", Confidence::medium);
}

TEST(Rules, ConnectionRefusedWithoutControlIsInconclusive) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.tcp(kUrl, kIp, 443, "connection_refused");
  const Record r = v.build();
  expect(judge(r), "thin_evidence", Attribution::inconclusive, "tcp.reset", Confidence::low);
}

TEST(Rules, ResetAtAnAddressTheControlNeverTriedIsInconclusive) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp, "198.18.50.50"});  // shares kIp with the control, so the DNS answer is not suspect
  v.tcp(kUrl, "198.18.50.50", 443, "connection_refused");
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "thin_evidence", Attribution::inconclusive, "tcp.reset", Confidence::low);
}

TEST(Rules, TcpTimeoutTheControlDoesNotShareIsInconclusive) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.tcp(kUrl, kIp, 443, "generic_timeout_error");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "unlocalised_timeout", Attribution::inconclusive, "tcp.timeout", Confidence::low);
  EXPECT_NE(d.finding.evidence.sentence.find("no one is blamed"), std::string::npos);
}

TEST(Rules, TcpTimeoutWithoutControlIsInconclusive) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.tcp(kUrl, kIp, 443, "generic_timeout_error");
  const Record r = v.build();
  expect(judge(r), "unlocalised_timeout", Attribution::inconclusive, "tcp.timeout", Confidence::low);
}

// --- Evidence from the wire: captured packets and SYN localisation -----------------------------------------

bool cites(const Decision& d, const Record& r, std::int64_t id) {
  const auto& o = d.finding.evidence.observations;
  return std::find(o.begin(), o.end(), r.measurement_id + "#" + std::to_string(id)) != o.end();
}
bool says(const Decision& d, const std::string& words) {
  return d.finding.evidence.sentence.find(words) != std::string::npos;
}

using P = RecordBuilder;

// A refused connect whose flow got one RST with rst_ttl; the server's own TTL shows in an ICMP port-unreachable
// from the server's address (the probe's "no DNS here" check aimed at it), unless icmp_ttl is 0.
struct RefusedWithCapture {
  Record rec;
  int rst_flow = 0, icmp_flow = 0;
};
RefusedWithCapture refused_with_capture(int rst_ttl, int icmp_ttl, const std::string& icmp_from = kIp) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.tcp(kUrl, kIp, 443, "connection_refused");
  const int tcp_id = v.last_id();
  RefusedWithCapture out;
  out.rst_flow = v.capture(kUrl, {tcp_id}, "tcp", kIp + ":443", {P::packet("rst", rst_ttl)});
  if (icmp_ttl) {
    const int x = v.dnsx(kUrl, kHost, "injection_check", {});
    out.icmp_flow = v.capture(kUrl, {x}, "udp", kIp + ":53", {P::packet("icmp", icmp_ttl, {}, icmp_from)});
  }
  out.rec = v.build();
  return out;
}

TEST(Rules, ResetWhoseTtlIsNotTheServersWasInjectedOnThePath) {
  const auto v = refused_with_capture(64, 62);
  const Record c = healthy_control();
  const Decision d = judge(v.rec, &c);
  expect(d, "reset_ttl_injected", Attribution::network_interference, "tcp.reset_injected", Confidence::high);
  EXPECT_TRUE(cites(d, v.rec, v.rst_flow));
  EXPECT_TRUE(cites(d, v.rec, v.icmp_flow));
  EXPECT_TRUE(says(d, "The reset arrived with IP TTL 64")) << d.finding.evidence.sentence;
  EXPECT_TRUE(says(d, "arrive with TTL 62: it was sent by something on the path, 2 hops closer than the server"))
      << d.finding.evidence.sentence;
}

TEST(Rules, InjectedResetWithoutControlIsStillTheNetworksWithMediumConfidence) {
  const auto v = refused_with_capture(64, 62);
  expect(judge(v.rec), "reset_ttl_injected", Attribution::network_interference, "tcp.reset_injected",
         Confidence::medium);
}

TEST(Rules, ResetWithTheServersOwnTtlIsNotCalledInjected) {
  // The server refused this vantage itself (or a censor copied its TTL perfectly): nobody is named, and the
  // weaker reset_vs_control must not accuse the network either.
  const auto v = refused_with_capture(62, 62);
  const Record c = healthy_control();
  const Decision d = judge(v.rec, &c);
  expect(d, "reset_from_server", Attribution::inconclusive, "tcp.reset", Confidence::low);
  EXPECT_TRUE(says(d, "the same as the server's own packets")) << d.finding.evidence.sentence;
  EXPECT_TRUE(cites(d, v.rec, v.rst_flow));
}

TEST(Rules, ResetWithTheServersOwnTtlThatTheControlSharesIsAnOutage) {
  const auto v = refused_with_capture(62, 62);
  RecordBuilder c(kUrl);
  c.dns(kUrl, kHost, {kIp});
  c.tcp(kUrl, kIp, 443, "connection_refused");
  const Record cr = c.build();
  expect(judge(v.rec, &cr), "control_shares_failure", Attribution::service_outage, "tcp.reset", Confidence::high);
}

TEST(Rules, ForgedLookingResetTheControlSharesIsNotBlamedOnTheNetwork) {
  // A firewall in front of the service refusing everyone also answers with its own TTL.
  const auto v = refused_with_capture(250, 62);
  RecordBuilder c(kUrl);
  c.dns(kUrl, kHost, {kIp});
  c.tcp(kUrl, kIp, 443, "connection_refused");
  const Record cr = c.build();
  expect(judge(v.rec, &cr), "control_shares_failure", Attribution::service_outage, "tcp.reset", Confidence::high);
}

TEST(Rules, ResetOneHopOffTheServersTtlProvesNothingEitherWay) {
  const auto v = refused_with_capture(63, 62);
  const Record c = healthy_control();
  expect(judge(v.rec, &c), "reset_vs_control", Attribution::network_interference, "tcp.reset", Confidence::medium);
}

TEST(Rules, ResetWithoutAnyPacketFromTheServerKeepsTodaysVerdict) {
  const auto v = refused_with_capture(64, 0);
  const Record c = healthy_control();
  expect(judge(v.rec, &c), "reset_vs_control", Attribution::network_interference, "tcp.reset", Confidence::medium);
  expect(judge(v.rec), "thin_evidence", Attribution::inconclusive, "tcp.reset", Confidence::low);
}

TEST(Rules, IcmpFromARouterIsNotTheServersBaseline) {
  const auto v = refused_with_capture(64, 61, "198.51.100.7");
  const Record c = healthy_control();
  expect(judge(v.rec, &c), "reset_vs_control", Attribution::network_interference, "tcp.reset", Confidence::medium);
}

TEST(Rules, HandshakeResetWithATtlUnlikeTheServersSynAckIsInjected) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  const int tcp_id = v.last_id();
  v.tls(kUrl, kIp, 443, tx, kHost, "target", false, nullptr, "connection_reset");
  const int tls_id = v.last_id();
  const int flow = v.capture(kUrl, {tcp_id, tls_id}, "tcp", kIp + ":443",
                             {P::packet("syn_ack", 52), P::packet("data", 52), P::packet("rst", 60)});
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "reset_ttl_injected", Attribution::network_interference, "tls.reset_injected", Confidence::high);
  EXPECT_TRUE(cites(d, r, flow));
  EXPECT_TRUE(says(d, "on the same connection arrive with TTL 52")) << d.finding.evidence.sentence;
  EXPECT_TRUE(says(d, "8 hops closer")) << d.finding.evidence.sentence;
}

TEST(Rules, HandshakeResetWithTheSynAcksTtlIsNotInjected) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  const int tcp_id = v.last_id();
  v.tls(kUrl, kIp, 443, tx, kHost, "target", false, nullptr, "connection_reset");
  v.capture(kUrl, {tcp_id, v.last_id()}, "tcp", kIp + ":443", {P::packet("syn_ack", 52), P::packet("rst", 52)});
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "reset_from_server", Attribution::inconclusive, "tls.reset", Confidence::low);
}

TEST(Rules, SniResetWithAForgedTtlStaysSniResetCitesThePacketsAndNeedsNoControl) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  const int tcp_id = v.last_id();
  v.tls(kUrl, kIp, 443, tx, kHost, "target", false, nullptr, "connection_reset");
  const int flow = v.capture(kUrl, {tcp_id, v.last_id()}, "tcp", kIp + ":443",
                             {P::packet("syn_ack", 62), P::packet("rst", 64)});
  const int tx2 = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx2, kHost, "neutral");
  const Record r = v.build();
  const Decision d = judge(r);
  expect(d, "sni_dependent_tls_failure", Attribution::network_interference, "tls.sni_reset", Confidence::high);
  EXPECT_TRUE(cites(d, r, flow));
  EXPECT_TRUE(says(d, "2 hops closer than the server")) << d.finding.evidence.sentence;
}

TEST(Rules, SniResetWithoutCaptureStaysOneLevelLowerWithoutControl) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost, "target", false, nullptr, "connection_reset");
  const int tx2 = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx2, kHost, "neutral");
  const Record r = v.build();
  expect(judge(r), "sni_dependent_tls_failure", Attribution::network_interference, "tls.sni_reset", Confidence::medium);
}

TEST(Rules, RacedDnsRepliesWithDifferentTtlsCiteTheCapture) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"10.10.34.36"});
  const int x = v.dnsx(kUrl, kHost, "duplicate_watch", {{"10.10.34.36"}, {kIp}});
  const int flow = v.capture(kUrl, {x}, "udp", "198.18.4.53:53",
                             {P::packet("dns_reply", 63, {"10.10.34.36"}), P::packet("dns_reply", 59, {kIp})});
  v.tcp(kUrl, "10.10.34.36", 443, "network_unreachable");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "dns_injection_seen", Attribution::network_interference, "dns.injected", Confidence::high);
  EXPECT_TRUE(cites(d, r, flow));
  EXPECT_TRUE(says(d, "first 10.10.34.36 with TTL 63, second " + kIp + " with TTL 59")) << d.finding.evidence.sentence;
}

TEST(Rules, RacedDnsRepliesWithEqualTtlsSayNothingAboutTtls) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {"10.10.34.36"});
  const int x = v.dnsx(kUrl, kHost, "duplicate_watch", {{"10.10.34.36"}, {kIp}});
  const int flow = v.capture(kUrl, {x}, "udp", "198.18.4.53:53",
                             {P::packet("dns_reply", 60, {"10.10.34.36"}), P::packet("dns_reply", 60, {kIp})});
  v.tcp(kUrl, "10.10.34.36", 443, "network_unreachable");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "dns_injection_seen", Attribution::network_interference, "dns.injected", Confidence::high);
  EXPECT_FALSE(cites(d, r, flow));
  EXPECT_FALSE(says(d, "TTL")) << d.finding.evidence.sentence;
}

// SYNs to kIp that time out, localised: routers answer both probes up to last_open, the SYN is silent after,
// the companion UDP probe keeps being answered by routers until the target answers at dest.
Record syn_timeout(nlohmann::json interference, nlohmann::json dest, int last_open, int max_ttl,
                   bool companion_passes = true, bool confirmed = true) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.tcp(kUrl, kIp, 443, "generic_timeout_error");
  v.tcp(kUrl, kIp, 443, "generic_timeout_error");
  std::vector<RecordBuilder::Hop> hops;
  for (int ttl = 1; ttl <= max_ttl; ++ttl) {
    if (ttl <= last_open) hops.push_back({ttl, "ttl_expired", "ttl_expired"});
    else if (dest.is_number_integer() && ttl >= dest.get<int>()) hops.push_back({ttl, "silent", "unreachable"});
    else hops.push_back({ttl, "silent", companion_passes ? "ttl_expired" : "silent"});
  }
  v.path(kUrl, "tcp_syn", kIp, 443, interference, dest, hops, confirmed);
  return v.build();
}

TEST(Rules, SynsVanishingHopsBeforeTheServersOwnHopAreDroppedOnThePath) {
  const Record r = syn_timeout(3, 8, 2, 10), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "syn_drop_localised", Attribution::network_interference, "tcp.blackhole", Confidence::high);
  EXPECT_TRUE(cites(d, r, rp::base_of(r.observations.back()).id));
  EXPECT_TRUE(says(d, "vanish from hop 3")) << d.finding.evidence.sentence;
  EXPECT_TRUE(says(d, "5 hops before the server")) << d.finding.evidence.sentence;
}

TEST(Rules, SynsDroppedOnThePathWithoutControlAreStillTheNetworksWithMediumConfidence) {
  const Record r = syn_timeout(3, 8, 2, 10);
  expect(judge(r), "syn_drop_localised", Attribution::network_interference, "tcp.blackhole", Confidence::medium);
}

TEST(Rules, UnconfirmedSynDropOnThePathIsOnlyMediumConfidence) {
  const Record r = syn_timeout(3, 8, 2, 10, true, false), c = healthy_control();
  expect(judge(r, &c), "syn_drop_localised", Attribution::network_interference, "tcp.blackhole", Confidence::medium);
}

TEST(Rules, SynDropBeforeSilentRoutersIsNotLocalised) {
  // Routers 3..7 answer nobody (not even UDP): the SYNs may as well die at the server's edge.
  const Record r = syn_timeout(3, 8, 2, 10, false), c = healthy_control();
  expect(judge(r, &c), "unlocalised_timeout", Attribution::inconclusive, "tcp.timeout", Confidence::low);
}

TEST(Rules, SynsVanishingAtTheServersOwnHopWhileTheControlConnectsAreDroppedByTheProvider) {
  const Record r = syn_timeout(8, 8, 7, 10), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "syn_drop_localised", Attribution::provider_restriction, "tcp.edge_drop", Confidence::medium);
  EXPECT_TRUE(says(d, "vanish only at hop 8")) << d.finding.evidence.sentence;
}

TEST(Rules, SynsVanishingAtTheServersOwnHopWithoutControlAreInconclusive) {
  const Record r = syn_timeout(8, 8, 7, 10);
  expect(judge(r), "syn_drop_localised", Attribution::inconclusive, "tcp.timeout", Confidence::low);
}

TEST(Rules, SynEdgeDropIsNotTheProvidersWhenTheControlConnectedElsewhere) {
  const Record r = syn_timeout(8, 8, 7, 10);
  const Record c = RecordBuilder(kUrl).https_ok(kUrl, kHost, "198.18.10.99").build();
  EXPECT_EQ(judge(r, &c).finding.attribution, Attribution::inconclusive);
}

TEST(Rules, SynsVanishingAtTheRouterRightInFrontOfTheServerAreNotBlamedOnAnyone) {
  // That router is usually the hosting provider's own gateway.
  const Record r = syn_timeout(7, 8, 6, 10), c = healthy_control();
  expect(judge(r, &c), "syn_drop_localised", Attribution::inconclusive, "tcp.timeout", Confidence::low);
}

TEST(Rules, SynTimeoutWithUnknownDestinationStaysUnlocalised) {
  // e.g. the lab's blackhole: everything to the address dies at the censor, the companion UDP probe too.
  const Record r = syn_timeout(2, nullptr, 1, 10), c = healthy_control();
  expect(judge(r, &c), "unlocalised_timeout", Attribution::inconclusive, "tcp.timeout", Confidence::low);
}

TEST(Rules, SynTimeoutTheControlSharesIsStillAnOutage) {
  const Record r = syn_timeout(3, 8, 2, 10);
  RecordBuilder c(kUrl);
  c.dns(kUrl, kHost, {kIp});
  c.tcp(kUrl, kIp, 443, "generic_timeout_error");
  const Record cr = c.build();
  expect(judge(r, &cr), "control_shares_failure", Attribution::service_outage, "tcp.timeout", Confidence::high);
}

// --- HTTP: the network's pages -----------------------------------------------------------------------------

const std::string kPlain = "http://news.example.com/";
const std::string kBlockpage =
    "<title>Access Denied</title>The page you have requested has been blocked, because the URL is banned."
    " blocked by order of the Telecommunications Authority";

Record plain_record(int status, const std::string& body, nlohmann::json title = nullptr) {
  RecordBuilder v(kPlain);
  v.dns(kPlain, "news.example.com", {kIp});
  v.tcp(kPlain, kIp, 80);
  v.http(kPlain, kPlain, kIp, nullptr, status, body, {}, 0, nullptr, nullptr, title);
  return v.build();
}

TEST(Rules, PlainHttpReplyMatchingAGovernmentBlockpageIsNetworkInterference) {
  const Record r = plain_record(200, kBlockpage), c = plain_record(200, "<title>OK service</title>");
  const Decision d = judge(r, &c);
  expect(d, "blockpage_fingerprint", Attribution::network_interference, "http.blockpage", Confidence::high);
  EXPECT_FALSE(d.finding.evidence.fingerprints.empty());
}

TEST(Rules, PlainHttpPageUnlikeTheControlsIsNotCalledReachable) {
  const Record r = plain_record(200, "<title>Something else</title>", "Something else"),
               c = plain_record(200, "<title>OK service</title>", "OK service");
  const Decision d = judge(r, &c);
  expect(d, "thin_evidence", Attribution::inconclusive, "http.unexpected_response", Confidence::low);
}

TEST(Rules, BlockpageOverVerifiedTlsIsNeverAPathBlockpage) {
  // Over TLS verified for the host, the provider wrote it: the blockpage rule must not fire.
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 200, kBlockpage).build(), c = healthy_control();
  EXPECT_NE(judge(r, &c).rule, "blockpage_fingerprint");
}

TEST(Rules, VagueBlockingWordWithoutControlIsNotEnough) {
  FingerprintCatalogue fp;
  fp.add_document(nlohmann::json::parse(R"({"format":"reachprobe-fingerprints/1","fingerprints":[
    {"id":"t.vague","attribution":"network_interference","scope":"vbw","match":[{"location":"body","pattern_type":"contains","pattern":"blocked"}],
     "source":"test","checked":"2026-11-29"}]})"),
                  "test");
  const Record r = plain_record(200, "this content is blocked");
  EXPECT_NE(judge(r, nullptr, fp).finding.attribution, Attribution::network_interference);
}

TEST(Rules, KnownFalsePositiveVetoesABlockpageMatch) {
  FingerprintCatalogue fp;
  fp.add_document(nlohmann::json::parse(R"({"format":"reachprobe-fingerprints/1","fingerprints":[
    {"id":"t.block","attribution":"network_interference","scope":"nat","match":[{"location":"body","pattern_type":"contains","pattern":"has been blocked"}],
     "source":"test","checked":"2026-11-29"},
    {"id":"t.fp","attribution":"false_positive","scope":"fp","match":[{"location":"body","pattern_type":"contains","pattern":"your router"}],
     "source":"test","checked":"2026-11-29"}]})"),
                  "test");
  const Record r = plain_record(200, "update your router: access has been blocked"), c = plain_record(200, "ok");
  EXPECT_NE(judge(r, &c, fp).rule, "blockpage_fingerprint");
}

// --- HTTP: the provider's refusals -------------------------------------------------------------------------

const std::string kCf =
    "<title>Access denied | chat.example.com used Cloudflare to restrict access</title>Error 1009 The owner of this "
    "website (chat.example.com) has banned the country or region your IP address is in (ZZ) from accessing this website.";

TEST(Rules, ProviderGeoPageOverVerifiedTlsIsProviderRestriction) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 403, kCf, {{"CF-RAY", "1-ZZ"}}).build();
  const Record c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "provider_geo_signature", Attribution::provider_restriction, "http.geo_page", Confidence::high);
  EXPECT_EQ(d.finding.evidence.fingerprints.front(), "rp.cloudflare_1009_country_banned");
}

TEST(Rules, ProviderGeoPageWithoutControlIsProviderRestrictionWithMediumConfidence) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 403, kCf).build();
  expect(judge(r), "provider_geo_signature", Attribution::provider_restriction, "http.geo_page", Confidence::medium);
}

TEST(Rules, ProviderGeoPageOverPlainHttpIsNotBlamedOnAnyone) {
  const Record r = plain_record(403, kCf), c = plain_record(200, "<title>OK service</title>");
  expect(judge(r, &c), "unauthenticated_refusal", Attribution::inconclusive, "http.geo_page", Confidence::low);
}

TEST(Rules, ProviderGeoPageOverUnverifiedTlsIsNeverEvidenceAgainstTheProvider) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.http(kUrl, kUrl, kIp, false, 403, kCf);
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  EXPECT_NE(d.finding.attribution, Attribution::provider_restriction);
  EXPECT_NE(d.finding.attribution, Attribution::provider_on_government_order);
}

TEST(Rules, Status451OverVerifiedTlsWithBlockedByIsProviderOnGovernmentOrder) {
  const Record r = RecordBuilder(kUrl)
                       .https_ok(kUrl, kHost, kIp, 451, "legal",
                                 {{"Link", "<https://authority.example.org>; rel=\"blocked-by\""}})
                       .build();
  const Record c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "verified_451", Attribution::provider_on_government_order, "http.status_451", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("https://authority.example.org"), std::string::npos);
}

TEST(Rules, Status451OverVerifiedTlsWithoutBlockedByIsOnlyMediumConfidence) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 451, "legal").build(), c = healthy_control();
  expect(judge(r, &c), "verified_451", Attribution::provider_on_government_order, "http.status_451",
         Confidence::medium);
}

TEST(Rules, Status451OverPlainHttpIsWeakEvidenceAndInconclusive) {
  const Record r = plain_record(451, "unavailable"), c = plain_record(200, "<title>OK service</title>");
  expect(judge(r, &c), "unauthenticated_refusal", Attribution::inconclusive, "http.status_451", Confidence::low);
}

TEST(Rules, RedirectCitingARoskomnadzorOrderOverVerifiedTlsIsProviderOnGovernmentOrder) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost);
  v.http(kUrl, kUrl, kIp, true, 302, "", {{"Location", "/blank.php?rkn=12345"}}, 0,
         "https://chat.example.com/blank.php?rkn=12345");
  v.http(kUrl, "https://chat.example.com/blank.php?rkn=12345", kIp, true, 200, "blocked by decision of the authorities",
         {}, 1);
  const Record r = v.build(), c = healthy_control();
  expect(judge(r, &c), "provider_order_signature", Attribution::provider_on_government_order, "http.gov_order",
         Confidence::high);
}

TEST(Rules, Plain403OverVerifiedTlsWhileControlIsServedIsProviderRestriction) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 403, "Forbidden").build(), c = healthy_control();
  expect(judge(r, &c), "verified_refusal_vs_control", Attribution::provider_restriction, "http.refusal",
         Confidence::medium);
}

TEST(Rules, Plain403OverVerifiedTlsWithoutControlIsInconclusive) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 403, "Forbidden").build();
  EXPECT_EQ(judge(r).finding.attribution, Attribution::inconclusive);
}

// --- Success, outages and noise ----------------------------------------------------------------------------

TEST(Rules, HealthyResponseOverVerifiedTlsIsReachableEvenWithoutControl) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp).build();
  expect(judge(r), "reachable", Attribution::reachable, "none", Confidence::high);
}

TEST(Rules, EarlierTimeoutsFollowedBySuccessAreNoiseNotCensorship) {
  RecordBuilder v(kUrl);
  v.dns(kUrl, kHost, {kIp});
  v.tcp(kUrl, kIp, 443, "generic_timeout_error");
  const int tx = v.tcp(kUrl, kIp, 443);
  v.tls(kUrl, kIp, 443, tx, kHost);
  v.http(kUrl, kUrl, kIp, true, 200, "<title>OK service</title>");
  const Record r = v.build(), c = healthy_control();
  const Decision d = judge(r, &c);
  expect(d, "reachable", Attribution::reachable, "none", Confidence::high);
  EXPECT_NE(d.finding.evidence.sentence.find("packet loss"), std::string::npos);
}

TEST(Rules, HealthyRuleFromTheCatalogueDecidesWhatReachableMeans) {
  RecordBuilder v("svc", "service", std::string("svc"));
  v.target(kUrl, "url", {{"status", {200}}, {"body_contains", "Welcome"}});
  v.https_ok(kUrl, kHost, kIp, 200, "Sorry, not here");
  RecordBuilder c("svc", "service", std::string("svc"));
  c.target(kUrl, "url", {{"status", {200}}, {"body_contains", "Welcome"}});
  c.https_ok(kUrl, kHost, kIp, 200, "Welcome!");
  const Record r = v.build(), cr = c.build();
  EXPECT_NE(judge(r, &cr).finding.attribution, Attribution::reachable);
  EXPECT_EQ(judge(cr).finding.attribution, Attribution::reachable);
}

TEST(Rules, ServerErrorTheControlSharesIsAnOutage) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 500, "oops").build();
  const Record c = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 500, "oops").build();
  expect(judge(r, &c), "control_shares_failure", Attribution::service_outage, "http.server_error", Confidence::high);
}

TEST(Rules, RefusedForEveryoneIsAnOutage) {
  RecordBuilder v(kUrl), c(kUrl);
  for (auto* b : {&v, &c}) {
    b->dns(kUrl, kHost, {kIp});
    b->tcp(kUrl, kIp, 443, "connection_refused");
  }
  const Record r = v.build(), cr = c.build();
  expect(judge(r, &cr), "control_shares_failure", Attribution::service_outage, "tcp.reset", Confidence::high);
}

TEST(Rules, ServerErrorOnlyAtTheVantageIsInconclusive) {
  const Record r = RecordBuilder(kUrl).https_ok(kUrl, kHost, kIp, 500, "oops").build(), c = healthy_control();
  expect(judge(r, &c), "thin_evidence", Attribution::inconclusive, "http.server_error", Confidence::low);
}

TEST(Rules, TargetWithoutObservationsIsInconclusive) {
  RecordBuilder v(kUrl);
  const Record r = v.build();
  expect(judge(r), "thin_evidence", Attribution::inconclusive, "none", Confidence::low);
}

// --- Endpoints ---------------------------------------------------------------------------------------------

TEST(Rules, TlsEndpointWithVerifiedHandshakeIsReachable) {
  const std::string ep = "149.154.167.51:443/tls";
  RecordBuilder v(ep, "endpoint");
  const int tx = v.tcp(ep, "149.154.167.51", 443);
  v.tls(ep, "149.154.167.51", 443, tx, "149.154.167.51");
  const Record r = v.build();
  expect(judge(r), "reachable", Attribution::reachable, "none", Confidence::high);
}

TEST(Rules, TcpEndpointResetWhereTheControlConnectsIsNetworkInterference) {
  const std::string ep = "149.154.167.51:5222/tcp";
  RecordBuilder v(ep, "endpoint"), c(ep, "endpoint");
  v.tcp(ep, "149.154.167.51", 5222, "connection_reset");
  c.tcp(ep, "149.154.167.51", 5222);
  const Record r = v.build(), cr = c.build();
  expect(judge(r, &cr), "reset_vs_control", Attribution::network_interference, "tcp.reset", Confidence::medium);
}

// --- The table itself --------------------------------------------------------------------------------------

TEST(RuleTable, EveryRuleHasAUniqueSnakeCaseIdAndTheFallbackComesLast) {
  std::set<std::string> ids;
  for (const auto& r : rule_table()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    for (const char* p = r.id; *p; ++p)
      EXPECT_TRUE((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') << r.id;
  }
  EXPECT_STREQ(rule_table().back().id, "thin_evidence");
}

TEST(RuleTable, PositiveTamperingEvidenceIsTriedBeforeProviderAndOutageRules) {
  auto pos = [](const char* id) {
    for (std::size_t i = 0; i < rule_table().size(); ++i)
      if (std::string(rule_table()[i].id) == id) return i;
    return std::size_t{999};
  };
  EXPECT_LT(pos("sni_dependent_tls_failure"), pos("provider_geo_signature"));
  EXPECT_LT(pos("provider_order_signature"), pos("reachable"));
  EXPECT_LT(pos("reachable"), pos("control_shares_failure"));
  EXPECT_LT(pos("control_shares_failure"), pos("reset_vs_control"));
  EXPECT_LT(pos("sni_dependent_tls_failure"), pos("reset_ttl_injected"));
  EXPECT_LT(pos("reset_ttl_injected"), pos("control_shares_failure"));
  EXPECT_LT(pos("control_shares_failure"), pos("reset_from_server"));
  EXPECT_LT(pos("reset_from_server"), pos("reset_vs_control"));
  EXPECT_LT(pos("syn_drop_localised"), pos("unlocalised_timeout"));
}

}  // namespace
}  // namespace ra::test
