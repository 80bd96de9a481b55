# `cmake --install build --prefix P`: the cotdyn and cotdyn-torch programs (bin/, side by side:
# cli/libtorch.hpp), every cotdyn library (lib/), the headers (include/cotdyn/FOLDER/..., the rooted layout of the sources), the Python package
# (python/CMakeLists.txt) and a CMake package, so that another project does
#   find_package(cotdyn REQUIRED)
#   target_link_libraries(app PRIVATE cotdyn::meanfield)   # the state-tracking theory, Torch-free
# Every library cotdyn_NAME is exported as cotdyn::NAME: cotdyn::meanfield, cotdyn::meanfield_committee,
# cotdyn::meanfield_tree (Torch-free theories), cotdyn::simulation (the state-tracking simulator,
# LibTorch), cotdyn::registry (every model by model.kind), cotdyn::commands (what the CLI's commands do).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The libraries: every static or interface library named cotdyn_* defined so far (tests, benchmarks
# and notebooks come later and are not installed).
function(cotdyn_collect_libraries directory out)
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory ${subdirectories})
    cotdyn_collect_libraries(${subdirectory} more)
    list(APPEND targets ${more})
  endforeach()
  set(libraries "")
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(target MATCHES "^cotdyn_" AND type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|INTERFACE_LIBRARY)$")
      list(APPEND libraries ${target})
    endif()
  endforeach()
  set(${out} ${libraries} PARENT_SCOPE)
endfunction()
cotdyn_collect_libraries(${PROJECT_SOURCE_DIR} COTDYN_LIBRARIES)
foreach(library ${COTDYN_LIBRARIES})
  string(REGEX REPLACE "^cotdyn_" "" name ${library})
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${name})
endforeach()

install(TARGETS cotdyn RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET cotdyn-torch)
  install(TARGETS cotdyn-torch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(TARGETS ${COTDYN_LIBRARIES} EXPORT cotdynTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Headers: the library folders (not cli/, notebooks_cpp/, tests/), and the generated build_info.hpp.
foreach(folder core models meanfield simulation interaction analysis plots)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${folder}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cotdyn/${folder}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(FILES ${COTDYN_INCLUDE_ROOT}/cotdyn/build_info.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cotdyn)

set(COTDYN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cotdyn)
install(EXPORT cotdynTargets NAMESPACE cotdyn:: DESTINATION ${COTDYN_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cotdynConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/cotdynConfig.cmake INSTALL_DESTINATION ${COTDYN_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cotdynConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cotdynConfig.cmake ${PROJECT_BINARY_DIR}/cotdynConfigVersion.cmake
        DESTINATION ${COTDYN_CMAKE_DIR})
