// Pairing vantage and control, rolling targets up per service, the JSON and human reports, and the fixture table.
#include <gtest/gtest.h>

#include <fstream>

#include "classify.h"
#include "record_builder.h"
#include "report.h"

namespace ra::test {
namespace {

std::vector<Record> load(const char* name) {
  std::ifstream in(std::string(ANALYSIS_FIXTURES) + "/" + name);
  return load_records(in, name, Limits{}).records;
}

// The committed fixtures mirror every lab scenario of docs/lab.md; expected.json says the exact call.
TEST(Classify, EveryFixtureScenarioGetsTheExpectedAttributionAndMechanism) {
  const auto v = load("vantage.jsonl"), c = load("control.jsonl");
  const Analysis a = classify(v, &c, shipped_fingerprints(), lab_bogons());
  std::ifstream in(std::string(ANALYSIS_FIXTURES) + "/expected.json");
  const auto expected = nlohmann::json::parse(in);
  ASSERT_EQ(a.services.size(), expected.size());
  for (const auto& e : expected) {
    const Verdict* found = nullptr;
    for (const auto& s : a.services)
      if (s.vantage->input_value == e["input"]) found = &s;
    ASSERT_TRUE(found) << e["input"];
    EXPECT_EQ(to_string(found->finding.attribution), e["attribution"])
        << e["input"] << ": " << found->finding.evidence.sentence;
    EXPECT_EQ(found->finding.mechanism, e["mechanism"]) << e["input"] << ": " << found->finding.evidence.sentence;
    EXPECT_EQ(found->control_status, ControlStatus::present) << e["input"];
  }
}

TEST(Classify, WithoutControlNoScenarioIsBlamedOnTheWrongParty) {
  const auto v = load("vantage.jsonl"), c = load("control.jsonl");
  const Analysis with = classify(v, &c, shipped_fingerprints(), lab_bogons());
  const Analysis without = classify(v, nullptr, shipped_fingerprints(), lab_bogons());
  ASSERT_EQ(with.targets.size(), without.targets.size());
  for (std::size_t i = 0; i < with.targets.size(); ++i) {
    const auto& w = with.targets[i].finding;
    const auto& o = without.targets[i].finding;
    // Without a control a verdict may only become less certain (or inconclusive), never change party.
    if (o.attribution != Attribution::inconclusive) {
      EXPECT_EQ(o.attribution, w.attribution) << with.targets[i].target << ": " << o.evidence.sentence;
    }
    EXPECT_LE(static_cast<int>(o.confidence), static_cast<int>(w.confidence)) << with.targets[i].target;
    EXPECT_EQ(without.targets[i].control_status, ControlStatus::absent);
  }
}

// The README's promise, held against each scenario's truth (expected.json) rather than against the verdict with
// a control: a shared wrong accusation (a loopback answer every resolver gives, a certificate the server gives
// everyone) would pass the comparison above.
TEST(Classify, WithoutControlEveryFixtureScenarioIsItsTrueAttributionOrInconclusive) {
  const auto v = load("vantage.jsonl");
  const Analysis a = classify(v, nullptr, shipped_fingerprints(), lab_bogons());
  std::ifstream in(std::string(ANALYSIS_FIXTURES) + "/expected.json");
  const auto expected = nlohmann::json::parse(in);
  ASSERT_EQ(a.services.size(), expected.size());
  for (const auto& e : expected) {
    const Verdict* found = nullptr;
    for (const auto& s : a.services)
      if (s.vantage->input_value == e["input"]) found = &s;
    ASSERT_TRUE(found) << e["input"];
    if (found->finding.attribution != Attribution::inconclusive) {
      EXPECT_EQ(to_string(found->finding.attribution), e["attribution"])
          << e["input"] << ": " << found->finding.evidence.sentence;
    }
  }
}

TEST(Classify, WithoutControlEvidenceThatNeedsNoComparisonStillNamesTheNetwork) {
  // A reply the probe's own DNS watch caught, a handshake failing only when it names the service.
  const auto v = load("vantage.jsonl");
  const Analysis a = classify(v, nullptr, shipped_fingerprints(), lab_bogons());
  for (const char* input :
       {"https://inject.example.com/", "https://sni-rst.example.com/", "https://sni-drop.example.com/"}) {
    const Verdict* found = nullptr;
    for (const auto& s : a.services)
      if (s.vantage->input_value == input) found = &s;
    ASSERT_TRUE(found) << input;
    EXPECT_EQ(found->finding.attribution, Attribution::network_interference)
        << input << ": " << found->finding.evidence.sentence;
  }
}

TEST(Classify, WithoutControlASharedLoopbackAnswerOrServersOwnCertificateIsInconclusiveAndSaysWhy) {
  const auto v = load("vantage.jsonl");
  const Analysis a = classify(v, nullptr, shipped_fingerprints(), lab_bogons());
  for (const char* input : {"https://localhost.example.com/", "https://self-signed.example.com/"}) {
    const Verdict* found = nullptr;
    for (const auto& s : a.services)
      if (s.vantage->input_value == input) found = &s;
    ASSERT_TRUE(found) << input;
    EXPECT_EQ(found->finding.attribution, Attribution::inconclusive) << input;
    EXPECT_NE(found->finding.evidence.sentence.find("Without a control this cannot be told apart"), std::string::npos)
        << input << ": " << found->finding.evidence.sentence;
  }
}

TEST(Classify, ControlIsMatchedByServiceAndTargetRef) {
  RecordBuilder v("svc", "service", std::string("svc")), c("svc", "service", std::string("svc")),
      other("other", "service", std::string("other"));
  for (auto* b : {&v, &c, &other}) b->target("https://a.example.com/", "url");
  const std::vector<Record> controls = {other.build(), c.build()};
  const Record vr = v.build();
  const Record* m = match_control(vr, controls);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->service, std::optional<std::string>("svc"));
}

TEST(Classify, AdHocInputsAreMatchedByInputValue) {
  RecordBuilder v("https://a.example.com/"), c1("https://b.example.com/"), c2("https://a.example.com/");
  const std::vector<Record> controls = {c1.build(), c2.build()};
  const Record vr = v.build();
  EXPECT_EQ(match_control(vr, controls), &controls[1]);
}

TEST(Classify, TargetMissingFromTheControlIsMarkedUnmatched) {
  RecordBuilder v("https://a.example.com/");
  v.https_ok("https://a.example.com/", "a.example.com", "198.18.10.10");
  const std::vector<Record> vs = {v.build()}, cs = {};
  const Analysis a = classify(vs, &cs, shipped_fingerprints(), lab_bogons());
  EXPECT_EQ(a.targets.at(0).control_status, ControlStatus::unmatched);
  EXPECT_EQ(a.services.at(0).control_status, ControlStatus::unmatched);
}

TEST(Rollup, ServiceWithOneBlockedTargetIsReportedBlockedWithTheCount) {
  const auto v = load("vantage.jsonl"), c = load("control.jsonl");
  const Analysis a = classify(v, &c, shipped_fingerprints(), lab_bogons());
  const Verdict* svc = nullptr;
  for (const auto& s : a.services)
    if (s.vantage->service == std::optional<std::string>("examplechat")) svc = &s;
  ASSERT_TRUE(svc);
  EXPECT_EQ(svc->finding.attribution, Attribution::network_interference);
  EXPECT_EQ(svc->breakdown.at("reachable"), 1);
  EXPECT_EQ(svc->breakdown.at("network_interference"), 1);
  EXPECT_NE(svc->finding.evidence.sentence.find("1 of 2 targets"), std::string::npos);
}

TEST(Rollup, AnInconclusiveTargetKeepsAnOtherwiseReachableServiceInconclusive) {
  RecordBuilder v("svc", "service", std::string("svc"));
  v.target("https://a.example.com/", "url").target("https://b.example.com/", "url");
  v.https_ok("https://a.example.com/", "a.example.com", "198.18.10.10");
  v.dns("https://b.example.com/", "b.example.com", {"198.18.10.11"});
  v.tcp("https://b.example.com/", "198.18.10.11", 443, "generic_timeout_error");
  const std::vector<Record> vs = {v.build()};
  const Analysis a = classify(vs, nullptr, shipped_fingerprints(), lab_bogons());
  EXPECT_EQ(a.services.at(0).finding.attribution, Attribution::inconclusive);
}

TEST(Output, JsonCarriesEvidenceIdsAndTheAccountLevelNote) {
  const auto v = load("vantage.jsonl"), c = load("control.jsonl");
  const Analysis a = classify(v, &c, shipped_fingerprints(), lab_bogons());
  RunInfo info;
  info.vantage_file = "v";
  info.control_file = "c";
  const auto j = to_json(a, info);
  EXPECT_EQ(j["software_name"], "reachanalyze");
  for (const auto& t : j["targets"]) {
    for (const auto& id : t["evidence"]["observations"]) EXPECT_NE(id.get<std::string>().find('#'), std::string::npos);
    if (t["attribution"] != "inconclusive") {
      EXPECT_FALSE(t["evidence"]["observations"].empty()) << t["target"];
    }
  }
  EXPECT_NE(j["notes"][0].get<std::string>().find("account-level"), std::string::npos);
}

TEST(Output, MarkdownHasAServiceTableEvidenceSentencesAndTheHonestLimits) {
  const auto v = load("vantage.jsonl"), c = load("control.jsonl");
  const Analysis a = classify(v, &c, shipped_fingerprints(), lab_bogons());
  RunInfo info;
  info.vantage_file = "v.jsonl";
  info.control_file = "c.jsonl";
  info.errors.push_back({"v.jsonl", 7, "not valid JSON; skipped"});
  const std::string md = render_markdown(a, info);
  EXPECT_NE(md.find("| Service | What was tested | Verdict | How | Confidence |"), std::string::npos);
  EXPECT_NE(md.find("Refused by the provider"), std::string::npos);
  EXPECT_NE(md.find("was reset right after a ClientHello naming it"), std::string::npos);
  EXPECT_NE(md.find("account-level blocks"), std::string::npos);
  EXPECT_NE(md.find("v.jsonl:7"), std::string::npos);
}

TEST(Output, MarkdownEscapesPipesFromHostileInputs) {
  RecordBuilder v("https://a.example.com/|x|");
  const std::vector<Record> vs = {v.build()};
  const Analysis a = classify(vs, nullptr, shipped_fingerprints(), lab_bogons());
  const std::string md = render_markdown(a, RunInfo{});
  EXPECT_NE(md.find("https://a.example.com/\\|x\\|"), std::string::npos);
}

}  // namespace
}  // namespace ra::test
