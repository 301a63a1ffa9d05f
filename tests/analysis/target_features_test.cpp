// One target's features over the common record model: the healthy rule, header lookup and addresses of steps.
#include <gtest/gtest.h>

#include "record_builder.h"

namespace ra::test {
namespace {

const std::string kUrl = "https://chat.example.com/";
const std::string kHost = "chat.example.com";
const std::string kIp = "198.18.10.10";

// A record whose only target carries the given healthy rule (null: none), with one verified reply.
Record reply(json rule, int status, const std::string& body, json title = nullptr, json verified = true) {
  RecordBuilder b(kUrl, "url", std::string("svc"));
  b.target(kUrl, "url", rule);
  b.http(kUrl, kUrl, kIp, verified, status, body, {}, 0, nullptr, nullptr, title);
  return b.build();
}

bool healthy_reply(const Record& r) {
  const Side s = make_side(r, r.targets.front());
  return healthy(s, *s.http.front());
}

TEST(FirstHeader, FindsTheFirstValueWhateverTheNameCase) {
  rp::HttpResponseRecord r;
  r.headers = {{"Server", "nginx"}, {"SERVER", "other"}, {"Location", "/x"}};
  EXPECT_EQ(first_header(r, "server"), "nginx");
  EXPECT_EQ(first_header(r, "LOCATION"), "/x");
  EXPECT_FALSE(first_header(r, "content-type"));
  EXPECT_FALSE(first_header(r, "serve"));
}

TEST(Healthy, WithoutARuleOnly2xxIsHealthy) {
  EXPECT_TRUE(healthy_reply(reply(nullptr, 204, "")));
  EXPECT_FALSE(healthy_reply(reply(nullptr, 302, "")));
}

TEST(Healthy, AnEmptyRuleAccepts2xxAnd3xx) {
  EXPECT_TRUE(healthy_reply(reply(json::object(), 302, "")));
  EXPECT_FALSE(healthy_reply(reply(json::object(), 404, "")));
}

TEST(Healthy, TheCatalogueRuleIsJudgedOnTheRecordedBodyPrefix) {
  const json rule = {{"status", {200}}, {"body_contains", "welcome"}, {"title_contains", "Chat"}};
  EXPECT_TRUE(healthy_reply(reply(rule, 200, "<p>welcome</p>", "Chat home")));
  EXPECT_FALSE(healthy_reply(reply(rule, 200, "<p>blocked</p>", "Chat home")));
  EXPECT_FALSE(healthy_reply(reply(rule, 200, "<p>welcome</p>", "Blocked")));
  EXPECT_FALSE(healthy_reply(reply(rule, 201, "<p>welcome</p>", "Chat home")));
}

TEST(Healthy, AnyAuthenticatedTlsAcceptsAVerifiedReplyOnly) {
  const json rule = {{"status", {200}}, {"any_authenticated_tls", true}};
  EXPECT_TRUE(healthy_reply(reply(rule, 403, "")));
  EXPECT_FALSE(healthy_reply(reply(rule, 403, "", nullptr, false)));
}

TEST(Healthy, TheProbesOwnVerdictComesFirst) {
  RecordBuilder b(kUrl);
  b.http(kUrl, kUrl, kIp, true, 200, "ok");
  auto j = b.json_ref();
  j["observations"][0]["healthy_match"] = false;
  const Record r = parse_record(j);
  EXPECT_FALSE(healthy_reply(r));
}

TEST(AddressOf, NamesWhereAStepWentAndNothingForOthers) {
  RecordBuilder b(kUrl);
  b.dns(kUrl, kHost, {kIp});
  b.tcp(kUrl, kIp, 443, "connection_reset");
  b.http(kUrl, kUrl, nullptr, nullptr, -1, "", {}, 0, nullptr, "generic_timeout_error");
  const Record r = b.build();
  const Side s = make_side(r, r.targets.front());
  EXPECT_EQ(address_of(s, s.tcp.front()), kIp);
  EXPECT_EQ(address_of(s, s.http.front()), "");
  EXPECT_EQ(address_of(s, s.dns.front()), "");
}

}  // namespace
}  // namespace ra::test
