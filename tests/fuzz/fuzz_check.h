// FUZZ_CHECK: a property check that stays on in optimised builds (assert() is compiled out by NDEBUG).
#pragma once

#include <cstdio>
#include <cstdlib>

// A failed property is a finding like a crash: abort so libFuzzer (or the replay driver) saves and reports it.
#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)
