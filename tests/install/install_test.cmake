# Run by ctest (tests/install/CMakeLists.txt): install, build the outside project against the
# prefix, run it, import the installed Python package.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${what} failed (${status}):\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(file bin/cotdyn include/cotdyn/meanfield/state_tracking/solver.hpp include/cotdyn/build_info.hpp
             lib/cmake/cotdyn/cotdynConfig.cmake)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
if(EXISTS ${prefix}/include/cotdyn/cli)
  message(FATAL_ERROR "cli/ headers are not public and must not be installed")
endif()

run("configuring the outside project" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/consumer -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix})
run("building the outside project" ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)
run("running the outside project" ${WORK_DIR}/consumer/consumer)
message(STATUS "outside project: ${output}")
if(NOT output MATCHES "lock-on time t_half = [0-9]")
  message(FATAL_ERROR "unexpected output of the outside project: ${output}")
endif()

if(PYTHON)
  set(ENV{PYTHONPATH} ${prefix}/${PYTHON_INSTALL_DIR})
  # Lines, not ';': a ';' would split the argument into a CMake list.
  set(script "import cotdyn
assert cotdyn.__file__.startswith('${prefix}/'), cotdyn.__file__
r = cotdyn.theory()
print(len(r['t']), 'rows, lock-on time', r.milestones['lock_on_time'])")
  run("importing the installed Python package" ${PYTHON} -c "${script}")
  if(NOT output MATCHES "rows, lock-on time [0-9]")
    message(FATAL_ERROR "unexpected output of the installed Python package: ${output}")
  endif()
  message(STATUS "installed Python package: ${output}")
endif()
