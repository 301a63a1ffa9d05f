// Tests of the lab harness itself: bounded subprocesses, JSONL parsing and schema validation.
#include "lab_harness.h"

#include <fstream>

namespace lab = reachprobe::lab;

namespace {

std::string write_file(std::string_view stem, std::string_view text) {
  std::string path = lab::scratch_path(stem);
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST(RunCommand, CapturesStdoutStderrAndExitCodeWithoutAShell) {
  auto r = lab::run_command({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, 5);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.timed_out);
  // Arguments reach the program verbatim: no shell ever sees them.
  auto echo = lab::run_command({"echo", "$HOME;", "*"}, 5);
  EXPECT_EQ(echo.out, "$HOME; *\n");
}

TEST(RunCommand, KillsTheWholeProcessGroupWhenTheTimeoutExpires) {
  auto r = lab::run_command({"/bin/sh", "-c", "sleep 30 & sleep 30"}, 0.5);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_LT(r.seconds, 5.0);
}

TEST(RunCommand, WaitsForAChildThatClosedItsOutputButKeepsWorking) {
  auto r = lab::run_command({"/bin/sh", "-c", "exec >&- 2>&-; sleep 0.3; exit 4"}, 5);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 4);
}

TEST(RunCommand, ReportsAMissingProgramAsExitCode127) {
  auto r = lab::run_command({"/nonexistent/reachprobe-lab-program"}, 5);
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("cannot execute"), std::string::npos);
}

TEST(ParseJsonl, ReturnsOneValuePerNonEmptyLine) {
  auto records = lab::parse_jsonl("{\"a\":1}\n\n{\"a\":2}\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1]["a"], 2);
}

TEST(ParseJsonl, NamesTheLineThatIsNotJson) {
  try {
    lab::parse_jsonl("{\"a\":1}\n{oops\n");
    FAIL() << "expected a parse error";
  } catch (const nlohmann::json::parse_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
}

TEST(ValidateAgainstSchema, RejectsARecordMissingRequiredFieldsAndSaysWhy) {
  std::string report;
  EXPECT_FALSE(
      lab::validate_against_schema(write_file("bad", "{\"schema_version\":\"1.0\"}\n"), "measurement", &report));
  EXPECT_NE(report.find("line 1"), std::string::npos) << report;
  EXPECT_NE(report.find("required"), std::string::npos) << report;
}

TEST(ValidateAgainstSchema, RejectsAFileWithoutRecords) {
  EXPECT_FALSE(lab::validate_against_schema(write_file("empty", ""), "measurement.schema.json"));
}

TEST(ObservationsReadBack, AcceptWhatTheWriterWroteAndNameWhatItDidNot) {
  const std::string tcp =
      R"({"id":0,"type":"tcp_connect","target":"t","t0":0.5,"t":0.75,"failure":null,"address":"198.18.3.10",)"
      R"("port":443,"transaction":0})";
  std::string report;
  EXPECT_TRUE(
      lab::observations_read_back_identically(write_file("good.jsonl", R"({"observations":[)" + tcp + "]}\n"), &report))
      << report;
  // A field the writer never writes does not survive the round trip; a misspelt enum does not read at all.
  std::string extra = tcp;
  extra.insert(extra.size() - 1, R"(,"rtt":1)");
  EXPECT_FALSE(
      lab::observations_read_back_identically(write_file("extra.jsonl", R"({"observations":[)" + extra + "]}\n"),
                                              &report));
  EXPECT_NE(report.find("observations[0]"), std::string::npos) << report;
  std::string reset = tcp;
  reset.replace(reset.find("null"), 4, R"("connection_reste")");
  EXPECT_FALSE(lab::observations_read_back_identically(write_file("bad.jsonl", R"({"observations":[)" + reset + "]}\n"),
                                                       &report));
  EXPECT_NE(report.find("unknown failure"), std::string::npos) << report;
}

TEST(LabConstants, KnowTheScenarioHostsAddresses) {
  EXPECT_EQ(lab::host_ip("ok.example.com"), "198.18.10.10");
  EXPECT_EQ(lab::host_ip("no-such-host.example.com"), "");
}

TEST(RunInNamespace, RunsInsideTheVantageNamespace) {
  REACHPROBE_SKIP_WITHOUT_LAB();
  auto r = lab::run_in_namespace(lab::kVantageNs, {"ip", "-4", "-o", "addr", "show", "dev", "v-cen"}, 5);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(std::string(lab::kVantageIp) + "/24"), std::string::npos) << r.out;
}
