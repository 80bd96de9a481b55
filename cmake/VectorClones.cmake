# cotdyn_vector_clone_sources(FILE ...): the compile options of a source file whose kernels use
# COTDYN_VECTOR_CLONES (core/vector_clones.hpp) and core/lanes.hpp. No fused multiply-add, so every clone
# rounds as the plain loops do; and GCC's note that a 64-byte vector argument changes the calling
# convention is moot, the Lanes functions being always inlined.
function(cotdyn_vector_clone_sources)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU")
    set_source_files_properties(${ARGN} DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
                                PROPERTIES COMPILE_OPTIONS "-ffp-contract=off;-Wno-psabi")
  elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set_source_files_properties(${ARGN} DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTIES COMPILE_OPTIONS -ffp-contract=off)
  endif()
endfunction()
