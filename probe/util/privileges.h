// Gives up every Linux capability once the privileged resources (the capture handle) are open.
#pragma once

#include <string>

namespace rp {

// Clears the effective, permitted, inheritable and ambient capability sets and forbids regaining any
// (PR_SET_NO_NEW_PRIVS). Returns "" on success, or why it could not.
std::string drop_all_capabilities();

// True when this process currently holds CAP_NET_RAW in its effective set.
bool has_net_raw();

}  // namespace rp
