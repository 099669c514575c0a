// Skipping honestly. Catch2 2.x has no SKIP: S3D_SKIP(reason) prints the reason, counts the
// skip and ends the test case; catch_main.cpp then exits 77 and ctest (SKIP_RETURN_CODE 77)
// reports the test as skipped. S3D_REQUIRE_SHARED() skips when ../shared is absent — unless
// S3D_REQUIRE_SHARED=1 is set (as CI does), which makes a missing ../shared a failure.
// The macros use Catch's WARN and FAIL: include this after <catch2/catch.hpp> is fine and
// so is before (LibTorch tests include Catch last).
#pragma once
#include <cstdlib>
#include <string>

#include "support/test_support.hpp"

namespace s3d::test {

constexpr int kSkipExitCode = 77;

// Test cases that skipped themselves in this process.
int skipped_count();
void count_skip();

// Whether a missing ../shared (or a tool of ../shared's, python3-opencv) must fail the tests.
inline bool shared_required() {
  const char* v = std::getenv("S3D_REQUIRE_SHARED");
  return v && *v && std::string(v) != "0";
}

}  // namespace s3d::test

#define S3D_SKIP(reason)                                  \
  do {                                                    \
    WARN("SKIPPED: " << reason);                          \
    s3d::test::count_skip();                              \
    return;                                               \
  } while (false)

// Skips (or, under S3D_REQUIRE_SHARED=1, fails) when `missing` holds; `what` says what is missing.
#define S3D_REQUIRE_REFERENCE(missing, what)                                                        \
  do {                                                                                              \
    if (missing) {                                                                                  \
      if (s3d::test::shared_required()) FAIL(what << " is missing, and S3D_REQUIRE_SHARED=1 makes that a failure"); \
      S3D_SKIP(what << " is missing");                                                              \
    }                                                                                               \
  } while (false)

// Skips unless ../shared is there (see S3D_REQUIRE_REFERENCE).
#define S3D_REQUIRE_SHARED() S3D_REQUIRE_REFERENCE(s3d::test::shared_dir().empty(), "../shared (reference data)")
