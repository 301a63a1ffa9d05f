// A run without capture goes on: the record says why, and the analyser weighs its evidence accordingly.
#include "cli/privileged_capture.h"

#include "util/privileges.h"

namespace rp {

PrivilegedCapture open_capture_then_drop_privileges(bool wanted) {
  PrivilegedCapture out;
  if (!wanted) {
    out.state = "off: --no-capture";
  } else {
    std::string reason;
    out.session = CaptureSession::open(reason);
    out.state = out.session ? "on" : "unavailable: " + reason;
  }
  out.drop_failure = drop_all_capabilities();
  return out;
}

}  // namespace rp
