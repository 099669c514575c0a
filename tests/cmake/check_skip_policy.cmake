# Runs the test executable EXE with ../shared made unreachable: it must exit 77 (ctest's
# "skipped"), and with S3D_REQUIRE_SHARED=1 it must fail instead (exit 1).
set(ENV{S3D_SHARED_DIR} "/nonexistent/s3d-shared")
unset(ENV{S3D_REQUIRE_SHARED})
execute_process(COMMAND ${EXE} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE skipped)
if(NOT skipped EQUAL 77)
  message(FATAL_ERROR "without ../shared: exit ${skipped}, expected 77 (skipped)\n${out}${err}")
endif()
set(ENV{S3D_REQUIRE_SHARED} "1")
execute_process(COMMAND ${EXE} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE required)
if(required EQUAL 0 OR required EQUAL 77)
  message(FATAL_ERROR "without ../shared and S3D_REQUIRE_SHARED=1: exit ${required}, expected a failure\n${out}${err}")
endif()
message(STATUS "skipped (77) without ../shared; failed (${required}) with S3D_REQUIRE_SHARED=1")
