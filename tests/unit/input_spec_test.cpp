// Parsing of --url and --endpoint inputs, and what a plan expands them to.
#include <gtest/gtest.h>

#include "experiments/reachability/input_spec.h"
#include "experiments/reachability/plan.h"
#include "http/healthy_rule.h"

namespace rp {
namespace {

TEST(ParseUrl, AcceptsHttpsWithDefaultPort) {
  std::string error;
  const auto u = parse_url("https://Chat.Example.com/path?q=1", error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "chat.example.com");
  EXPECT_EQ(u->port, 443);
}

TEST(ParseUrl, AcceptsBracketedIpv6) {
  std::string error;
  const auto u = parse_url("http://[2001:db8::1]:8080/", error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "2001:db8::1");
  EXPECT_EQ(u->port, 8080);
}

TEST(ParseUrl, RejectsOtherSchemesAndGarbage) {
  std::string error;
  EXPECT_FALSE(parse_url("ftp://example.com/", error));
  EXPECT_NE(error.find("only http"), std::string::npos);
  EXPECT_FALSE(parse_url("not a url", error));
  EXPECT_FALSE(parse_url("https://exa mple.com/", error));
}

TEST(ParseUrl, MeasuresAnInternationalizedHostByItsALabelAndKeepsItsUnicodeForm) {
  std::string error;
  const auto u = parse_url("https://ясень.test/", error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "xn--e1aqk0cl.test");
  EXPECT_EQ(u->url, "https://xn--e1aqk0cl.test/");
  EXPECT_EQ(u->unicode_host, "ясень.test");
  EXPECT_EQ(u->typed_url, "https://ясень.test/");
}

TEST(ParseUrl, FoldsTheCaseOfAnInternationalizedHostButKeepsPathAndQuery) {
  std::string error;
  const auto u = parse_url("https://ЯСЕНЬ.Example.COM:8443/Путь?Q=1", error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "xn--e1aqk0cl.example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->unicode_host, "ясень.example.com");
  EXPECT_NE(u->url.find("xn--e1aqk0cl.example.com:8443/"), std::string::npos) << u->url;
}

TEST(ParseUrl, KeepsNonTransitionalSharpS) {
  std::string error;
  const auto u = parse_url("http://faß.example/", error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "xn--fa-hia.example");  // UTS #46 non-transitional: not "fass.example"
  EXPECT_EQ(u->unicode_host, "faß.example");
}

TEST(ParseUrl, RecordsNoUnicodeFormWhenTheMappingLeavesPlainAscii) {
  std::string error;
  const auto u = parse_url("https://ｅxample.com/", error);  // a full-width "e"
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "example.com");
  EXPECT_FALSE(u->unicode_host);
  EXPECT_EQ(plan_url(*u).input_value, "https://ｅxample.com/");
}

TEST(ParseUrl, LeavesAnALabelInputAsItWas) {
  std::string error;
  const auto u = parse_url("https://XN--E1AQK0CL.test/", error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "xn--e1aqk0cl.test");
  EXPECT_FALSE(u->unicode_host);
  EXPECT_FALSE(u->typed_url);
  const auto plan = plan_url(*u);
  EXPECT_EQ(plan.input_value, u->url);
  EXPECT_FALSE(plan.targets[0].unicode_host);
}

TEST(ParseUrl, RejectsBadInternationalizedNamesNamingTheInput) {
  std::string error;
  EXPECT_FALSE(parse_url("https://☃.example/", error));  // a symbol, disallowed by IDNA2008
  EXPECT_NE(error.find("'https://☃.example/'"), std::string::npos) << error;
  EXPECT_NE(error.find("internationalized"), std::string::npos) << error;
  error.clear();
  std::string long_label;
  for (int i = 0; i < 70; ++i) long_label += "я";
  EXPECT_FALSE(parse_url("https://" + long_label + ".test/", error));  // a label over 63 bytes once encoded
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_FALSE(parse_url("https://aא.test/", error));  // Latin and Hebrew in one label: the bidi rule
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_FALSE(parse_url("https://\xff\xfe.test/", error));  // not UTF-8
  EXPECT_FALSE(error.empty());
}

TEST(Plan, RecordsWhatTheUserTypedAsInputAndTheALabelAsRef) {
  std::string error;
  const auto u = parse_url("https://ясень.test/", error);
  ASSERT_TRUE(u) << error;
  const auto record = measured_record_of(plan_url(*u));
  EXPECT_EQ(record.input_value, "https://ясень.test/");
  ASSERT_EQ(record.targets.size(), 1u);
  EXPECT_EQ(record.targets[0].ref, "https://xn--e1aqk0cl.test/");
  EXPECT_EQ(record.targets[0].host, "xn--e1aqk0cl.test");
  EXPECT_EQ(record.targets[0].unicode_host, "ясень.test");
}

TEST(ParseEndpoint, MeasuresAnInternationalizedHostByItsALabel) {
  std::string error;
  const auto e = parse_endpoint("Ясень.test:443/tls", error);
  ASSERT_TRUE(e) << error;
  EXPECT_EQ(e->host, "xn--e1aqk0cl.test");
  EXPECT_EQ(e->unicode_host, "ясень.test");
  EXPECT_EQ(endpoint_ref(*e), "xn--e1aqk0cl.test:443/tls");
  EXPECT_EQ(endpoint_input(*e), "ясень.test:443/tls");
  const auto plan = plan_endpoint(*e);
  EXPECT_EQ(plan.input_value, "ясень.test:443/tls");
  EXPECT_EQ(plan.targets[0].ref, "xn--e1aqk0cl.test:443/tls");
  EXPECT_FALSE(parse_endpoint(std::string("f\0aß.example:443/tls", 21), error));  // not measured as "f"
  EXPECT_FALSE(parse_endpoint("☃.example:443", error));
  EXPECT_NE(error.find("'☃.example:443'"), std::string::npos) << error;
}

TEST(ParseEndpoint, ReadsHostPortAndTransport) {
  std::string error;
  auto e = parse_endpoint("chat.example.com:443/tls", error);
  ASSERT_TRUE(e) << error;
  EXPECT_EQ(e->host, "chat.example.com");
  EXPECT_EQ(e->port, 443);
  EXPECT_EQ(e->transport, Transport::tls);
  e = parse_endpoint("[2001:db8::5]:5222", error);
  ASSERT_TRUE(e) << error;
  EXPECT_EQ(e->host, "2001:db8::5");
  EXPECT_EQ(e->transport, Transport::tcp);
  EXPECT_EQ(endpoint_ref(*e), "[2001:db8::5]:5222/tcp");
}

TEST(ParseEndpoint, RejectsBadPortsTransportsAndNames) {
  std::string error;
  EXPECT_FALSE(parse_endpoint("example.com:0", error));
  EXPECT_FALSE(parse_endpoint("example.com:70000/tcp", error));
  EXPECT_FALSE(parse_endpoint("example.com:443/udp", error));
  EXPECT_FALSE(parse_endpoint("example.com", error));
  EXPECT_FALSE(parse_endpoint("-bad-.example.com:443", error));
  EXPECT_FALSE(parse_endpoint("2001:db8::5:443", error));  // IPv6 needs brackets
}

TEST(Plan, ExpandsAServiceIntoUrlsEndpointsAndDomainsWithoutDuplicates) {
  Service s;
  s.id = "chat";
  s.urls.push_back({"https://chat.example.com/", HealthyRule{{200}, std::nullopt, std::nullopt, false}, {}});
  s.endpoints.push_back({"chat.example.com", 443, Transport::tls, "", {}});
  s.endpoints.push_back({"chat.example.com", 443, Transport::tls, "", {}});
  s.endpoints.push_back({"192.0.2.1", 5222, Transport::tcp, "XMPP-like", {}});
  s.domains.push_back({"media.example.com", {}});
  s.pinned_cas.push_back({"PEM", {"chat.example.com"}, {}});
  const auto plan = plan_service(s);
  ASSERT_EQ(plan.targets.size(), 4u);
  EXPECT_EQ(plan.targets[0].ref, "https://chat.example.com/");
  EXPECT_TRUE(plan.targets[0].healthy);
  EXPECT_TRUE(plan.targets[0].pinned_pem);
  EXPECT_EQ(plan.targets[1].ref, "chat.example.com:443/tls");
  EXPECT_EQ(plan.targets[2].ref, "192.0.2.1:5222/tcp");
  EXPECT_FALSE(plan.targets[2].pinned_pem);
  EXPECT_EQ(plan.targets[3].ref, "dns:media.example.com");
  EXPECT_EQ(plan.input_kind, "service");
}

TEST(HealthyRule, ChecksEveryFieldItSets) {
  HealthyRule rule{{200}, std::nullopt, std::string("Chat"), false};
  EXPECT_TRUE(meets_healthy_rule(rule, {200, std::string("Chat web"), "", true}));
  EXPECT_FALSE(meets_healthy_rule(rule, {403, std::string("Chat web"), "", true}));
  EXPECT_FALSE(meets_healthy_rule(rule, {200, std::string("Not available"), "", true}));
  HealthyRule any_tls;
  any_tls.any_authenticated_tls = true;
  EXPECT_TRUE(meets_healthy_rule(any_tls, {404, std::nullopt, "", true}));
  EXPECT_FALSE(meets_healthy_rule(any_tls, {404, std::nullopt, "", false}));
}

}  // namespace
}  // namespace rp
