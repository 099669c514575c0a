// Catch2's main, compiled once for every test executable. A run in which some test case
// skipped itself (support/skip.hpp) and none failed exits 77, which ctest reports as
// *skipped* (SKIP_RETURN_CODE): a test that could not run is never counted as passed.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "support/skip.hpp"

int main(int argc, char* argv[]) {
  const int failed = Catch::Session().run(argc, argv);
  if (failed == 0 && s3d::test::skipped_count() > 0) return s3d::test::kSkipExitCode;
  return failed;
}
