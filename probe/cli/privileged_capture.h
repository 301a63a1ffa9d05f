// The only privileged step of a run: open the packet capture, then give up every capability for good.
#pragma once

#include <memory>
#include <string>

#include "capture/capture_session.h"

namespace rp {

struct PrivilegedCapture {
  std::unique_ptr<CaptureSession> session;  // nullptr: this run captures nothing
  std::string state;                        // for the record: "on", "off: --no-capture" or "unavailable: <why>"
  std::string drop_failure;                 // why capabilities could not be dropped; "" when they were
};

// Opens the capture while the process may still hold CAP_NET_RAW (only if `wanted`), then drops all
// capabilities whatever happened, so nothing after it (parsing what the network sends) runs privileged.
PrivilegedCapture open_capture_then_drop_privileges(bool wanted);

}  // namespace rp
