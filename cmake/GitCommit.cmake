# Embeds the git commit at configure time (not by calling git at run time).
find_package(Git QUIET)
set(COTDYN_GIT_COMMIT "unknown")
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse HEAD
                  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
                  OUTPUT_VARIABLE COTDYN_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE git_result)
  if(NOT git_result EQUAL 0)
    set(COTDYN_GIT_COMMIT "unknown")
  else()
    execute_process(COMMAND "${GIT_EXECUTABLE}" status --porcelain --untracked-files=no
                    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
                    OUTPUT_VARIABLE git_dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(git_dirty)
      string(APPEND COTDYN_GIT_COMMIT "-dirty")
    endif()
  endif()
endif()
# Re-run configure when HEAD moves so the embedded commit stays current.
if(EXISTS "${PROJECT_SOURCE_DIR}/.git/HEAD")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/.git/HEAD")
  file(READ "${PROJECT_SOURCE_DIR}/.git/HEAD" git_head)
  string(STRIP "${git_head}" git_head)  # a CMake '.' also matches the trailing newline
  if(git_head MATCHES "^ref: (.*)$" AND EXISTS "${PROJECT_SOURCE_DIR}/.git/${CMAKE_MATCH_1}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/.git/${CMAKE_MATCH_1}")
  endif()
endif()
message(STATUS "cotdyn git commit: ${COTDYN_GIT_COMMIT}")
