// The run's only privileged step: whatever happened to the capture, no capability is left afterwards.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/privileged_capture.h"
#include "util/privileges.h"

namespace rp {
namespace {

// Each case runs in a child process (a death test), so this test binary keeps its own capabilities.
bool drops_every_capability_and_says_what_capture_did(bool wanted) {
  const auto capture = open_capture_then_drop_privileges(wanted);
  if (has_net_raw() || !capture.drop_failure.empty()) return false;
  if (!wanted) return capture.state == "off: --no-capture" && capture.session == nullptr;
  return capture.session ? capture.state == "on" : capture.state.rfind("unavailable: ", 0) == 0;
}

TEST(PrivilegedCapture, DropsEveryCapabilityWhenCaptureIsNotWanted) {
  EXPECT_EXIT(std::exit(drops_every_capability_and_says_what_capture_did(false) ? 0 : 1), ::testing::ExitedWithCode(0),
              "");
}

TEST(PrivilegedCapture, DropsEveryCapabilityAfterOpeningTheCaptureOrSayingWhyItCouldNot) {
  EXPECT_EXIT(std::exit(drops_every_capability_and_says_what_capture_did(true) ? 0 : 1), ::testing::ExitedWithCode(0),
              "");
}

}  // namespace
}  // namespace rp
