// Learning the machine's public address from what servers say about it, without letting a server get
// its own address scrubbed.
#include <gtest/gtest.h>

#include "output/own_addresses.h"
#include "output/whoami_services.h"

namespace rp {
namespace {

HttpRequestObservation response(const std::string& url, const std::string& peer,
                                std::vector<std::pair<std::string, std::string>> headers, const std::string& body) {
  HttpRequestObservation h;
  h.url = url;
  h.address = peer;
  HttpResponseRecord r;
  r.status = 200;
  r.headers = std::move(headers);
  r.body_prefix = body;
  h.response = r;
  return h;
}

TEST(OwnAddresses, LearnsWhatEchoHeadersSayButNeverThePeer) {
  const std::vector<Observation> obs = {response("http://echo.example.com/", "198.18.10.30",
                                                 {{"X-Client-IP", "198.18.1.200"}, {"X-Forwarded-For", "198.18.10.30"}},
                                                 "")};
  EXPECT_EQ(own_addresses_revealed(obs), (std::vector<std::string>{"198.18.1.200"}));
}

TEST(OwnAddresses, LearnsTheBodyOfAWhoamiServiceOnly) {
  const std::vector<Observation> obs = {
      response("https://api.ipify.org/", "198.18.10.31", {}, "198.18.1.200\n"),
      response("https://ipv4.icanhazip.com/", "198.18.10.31", {}, "Current IP Address: 2001:db8::7"),
      response("https://news.example.com/", "198.18.10.32", {}, "the server at 203.0.113.5 says hello"),
      response("https://api.ipify.org/", "198.18.10.31", {}, "198.18.10.31")};  // its own address: no
  EXPECT_EQ(own_addresses_revealed(obs), (std::vector<std::string>{"198.18.1.200", "2001:db8::7"}));
}

TEST(OwnAddresses, LearnsWhatAWhoamiNameResolvesTo) {
  DnsQueryObservation q;
  q.hostname = "myip.opendns.com";
  q.answers = {{"A", "myip.opendns.com", "198.18.1.200", 0}};
  DnsQueryObservation other;
  other.hostname = "ok.example.com";
  other.answers = {{"A", "ok.example.com", "198.18.10.10", 60}};
  TcpConnectObservation c;
  c.address = "198.18.1.200";  // the probe connects to every answer, whoami ones included
  const std::vector<Observation> obs = {q, other, c};
  EXPECT_EQ(own_addresses_revealed(obs), (std::vector<std::string>{"198.18.1.200"}));
}

// A page injected on the path could name the forged DNS answer it wants hidden.
TEST(OwnAddresses, NeverTakesEvidenceOrPrivateAddressesForOurs) {
  DnsQueryObservation q;
  q.hostname = "blocked.example.com";
  q.answers = {{"A", "blocked.example.com", "203.0.113.66", 60}};
  const std::vector<Observation> obs = {
      q,
      response("http://blocked.example.com/", "203.0.113.66",
               {{"X-Client-IP", "203.0.113.67"}, {"X-Real-IP", "10.1.2.3"}, {"True-Client-IP", "203.0.113.66"}}, ""),
      response("http://other.example.com/", "198.18.10.40", {{"X-Client-IP", "203.0.113.66"}}, "")};
  EXPECT_EQ(own_addresses_revealed(obs), (std::vector<std::string>{"203.0.113.67"}));
}

TEST(WhoamiServices, MatchNamesAndSubdomainsExactly) {
  EXPECT_TRUE(is_dns_whoami_name("MyIP.OpenDNS.com."));
  EXPECT_FALSE(is_dns_whoami_name("notmyip.opendns.com"));
  EXPECT_TRUE(is_http_whoami_host("ipv6.icanhazip.com"));
  EXPECT_FALSE(is_http_whoami_host("evilicanhazip.com"));
}

}  // namespace
}  // namespace rp
