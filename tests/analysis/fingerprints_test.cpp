// The fingerprint catalogue: the shipped files load, invalid entries are refused with a clear message, matching works.
#include <gtest/gtest.h>

#include "netaddr.h"
#include "record_builder.h"

namespace ra::test {
namespace {

using nlohmann::json;

std::string load_error(const std::string& entry) {
  FingerprintCatalogue fp;
  try {
    fp.add_document(json::parse(R"({"format":"reachprobe-fingerprints/1","fingerprints":[)" + entry + "]}"), "t.json");
  } catch (const FingerprintError& e) {
    return e.what();
  }
  return "";
}

const char* kGood =
    R"({"id":"x.1","attribution":"network_interference","scope":"nat","match":[{"location":"body","pattern_type":"contains","pattern":"blocked"}],"source":"s","checked":"2026-11-29"})";

TEST(Fingerprints, ShippedCatalogueLoadsWithEveryEntrySourcedAndDated) {
  const auto& cat = shipped_fingerprints();
  EXPECT_GT(cat.size(), 1900u);
  for (const auto& f : cat.all()) {
    EXPECT_FALSE(f.source.empty()) << f.id;
    EXPECT_EQ(f.checked.size(), 10u) << f.id;
  }
}

TEST(Fingerprints, OoniEntriesCiteTheUpstreamCommitAndOriginalName) {
  for (const auto& f : shipped_fingerprints().all())
    if (f.id.rfind("ooni.", 0) == 0 || f.id.rfind("cp.", 0) == 0 || f.id.rfind("cl.", 0) == 0) {
      EXPECT_NE(f.source.find("ooni/blocking-fingerprints@171641e60b54"), std::string::npos) << f.id;
    }
}

TEST(Fingerprints, ValidEntryLoads) { EXPECT_EQ(load_error(kGood), ""); }

TEST(Fingerprints, MissingSourceIsRefusedNamingTheEntry) {
  std::string e = kGood;
  e.replace(e.find(R"("source":"s",)"), 13, "");
  EXPECT_EQ(load_error(e), "t.json: fingerprints[0] (x.1): missing 'source'");
}

TEST(Fingerprints, BadDateIsRefused) {
  std::string e = kGood;
  e.replace(e.find("2026-11-29"), 10, "29/11/2026");
  EXPECT_NE(load_error(e).find("'checked' must be a YYYY-MM-DD date"), std::string::npos);
}

TEST(Fingerprints, RegexpPatternsAreRefused) {
  std::string e = kGood;
  e.replace(e.find("contains"), 8, "regexp");
  EXPECT_NE(load_error(e).find("regexp is not supported"), std::string::npos);
}

TEST(Fingerprints, UnknownFieldsAndAttributionsAreRefused) {
  std::string e = kGood;
  e.insert(1, R"("colour":"red",)");
  EXPECT_NE(load_error(e).find("unknown field 'colour'"), std::string::npos);
  std::string a = kGood;
  a.replace(a.find("network_interference"), 20, "the_government");
  EXPECT_NE(load_error(a).find("attribution 'the_government'"), std::string::npos);
}

TEST(Fingerprints, ProviderSignaturesCannotBeDnsAnswers) {
  EXPECT_NE(
      load_error(
          R"({"id":"x","attribution":"provider_restriction","scope":"prov","match":[{"location":"dns.answer","pattern_type":"full","pattern":"1.2.3.4"}],"source":"s","checked":"2026-11-29"})")
          .find("cannot be authenticated"),
      std::string::npos);
}

TEST(Fingerprints, DuplicateIdsAreRefused) {
  EXPECT_NE(load_error(std::string(kGood) + "," + kGood).find("duplicate id 'x.1'"), std::string::npos);
}

TEST(Fingerprints, MissingDirectoryIsAHardError) {
  EXPECT_THROW(FingerprintCatalogue::load_dirs({"/nonexistent/fingerprints"}), FingerprintError);
}

TEST(Fingerprints, AllConditionsMustHoldAndHeaderNamesAreCaseInsensitive) {
  FingerprintCatalogue fp;
  fp.add_document(json::parse(R"({"format":"reachprobe-fingerprints/1","fingerprints":[
    {"id":"t.cf","attribution":"provider_restriction","scope":"cdn","match":[
      {"location":"status","pattern_type":"full","pattern":"403"},
      {"location":"header.server","pattern_type":"full","pattern":"cloudflare","case_insensitive":true}],
     "source":"s","checked":"2026-11-29"}]})"),
                  "t");
  rp::HttpResponseRecord r;
  r.status = 403;
  r.headers = {{"SERVER", "CloudFlare"}};
  EXPECT_EQ(fp.match_http(r, std::nullopt).size(), 1u);
  r.status = 200;
  EXPECT_TRUE(fp.match_http(r, std::nullopt).empty());
}

TEST(Fingerprints, RedirectLocationCountsAsTheLocationHeader) {
  rp::HttpResponseRecord r;
  r.status = 302;
  // Over plain HTTP an ISP may forward to VK's page (OONI ooni.by_3, a network fingerprint); over TLS verified
  // for vk.com it is VK's own order page. Both match; the rules pick by how the reply was authenticated.
  const auto m = shipped_fingerprints().match_http(r, std::string("https://vk.com/blank.php?rkn=1"));
  bool order = false, network = false;
  for (const auto* f : m) {
    order |= f->id == "cl.prov_vkontakte_rkn_geoblock" && f->attribution == FpAttribution::provider_on_government_order;
    network |= f->id == "ooni.by_3" && f->attribution == FpAttribution::network_interference;
  }
  EXPECT_TRUE(order);
  EXPECT_TRUE(network);
}

TEST(Fingerprints, LabBlockpageMatchesOoniIndiaFingerprint) {
  rp::HttpResponseRecord r;
  r.status = 200;
  r.body_prefix = "<title>Access Denied</title>The page you have requested has been blocked";
  bool found = false;
  for (const auto* f : shipped_fingerprints().match_http(r, std::nullopt)) found |= f->id == "ooni.in_0";
  EXPECT_TRUE(found);
}

TEST(Bogons, PrivateAndReservedAddressesAreBogons) {
  for (const char* a : {"10.10.34.36", "127.0.0.1", "0.0.0.0", "192.168.1.1", "172.16.0.1", "100.64.0.1", "169.254.1.1",
                        "224.0.0.1", "240.0.0.1", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"})
    EXPECT_TRUE(bogon_prefix(a, default_bogons())) << a;
}

TEST(Bogons, PublicAddressesAreNot) {
  for (const char* a : {"149.154.167.51", "2606:4700::1", "31.13.64.1"})
    EXPECT_FALSE(bogon_prefix(a, default_bogons())) << a;
  EXPECT_FALSE(bogon_prefix("not-an-ip", default_bogons()));
}

TEST(Bogons, TheBenchmarkingRangeIsABogonUnlessSpecialPurposeIsAllowed) {
  EXPECT_EQ(bogon_prefix("198.18.5.5", default_bogons()), "198.18.0.0/15");
  EXPECT_EQ(bogon_prefix("198.19.255.1", default_bogons()), "198.18.0.0/15");
  const auto lab = default_bogons(AddressPolicy{.allow_special_purpose = true});
  EXPECT_FALSE(bogon_prefix("198.18.5.5", lab));
  EXPECT_TRUE(bogon_prefix("10.10.34.36", lab));
}

TEST(Bogons, ListIsConfigurable) {
  auto list = default_bogons(AddressPolicy{.allow_special_purpose = true});
  list.push_back(*parse_prefix("198.18.0.0/15"));
  EXPECT_EQ(bogon_prefix("198.18.10.10", list), "198.18.0.0/15");
  EXPECT_FALSE(parse_prefix("10.0.0.0/33"));
  EXPECT_FALSE(parse_prefix("10.0.0.0"));
}

}  // namespace
}  // namespace ra::test
