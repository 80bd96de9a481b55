# ctest registers each doctest case by name and splits names at ';' (a CMake list separator): such
# a case would run nothing and pass. Fails naming every TEST_CASE whose name contains ';'.
# Run: cmake -DTESTS_DIR=<tests folder> -P check_test_names.cmake
file(GLOB_RECURSE sources "${TESTS_DIR}/*.cpp")
set(bad "")
foreach(source ${sources})
  file(READ "${source}" text)
  string(REGEX MATCHALL "TEST_CASE\\(\"[^\"\n]*;[^\"\n]*\"" found "${text}")
  if(found)
    file(RELATIVE_PATH relative "${TESTS_DIR}" "${source}")
    string(APPEND bad "  ${relative}\n")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "test-case names with ';' (ctest would run no case for them):\n${bad}")
endif()
message(STATUS "no test-case name contains ';'")
