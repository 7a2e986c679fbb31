# One CMake target per layer, each seeing only the headers of the layers it may use.
#
# All code includes headers as "<layer>/<file>.h". A layer does not get src/ on its include path
# (that would show it every layer) but include roots of its own: <build>/layers/<layer>/ holds one
# symbolic link, <layer> -> src/<layer>. A layer's target publishes its own root; linking a layer
# gives its root and the roots of everything that layer links. So an include of a layer that is not
# a dependency finds no file and the build fails ("No such file or directory"), which
# tests/layering checks for every pair of layers.

set(NINES_LAYER_ROOT ${PROJECT_BINARY_DIR}/layers)

# The include root of `layer`: a folder whose only entry `layer` links to src/<layer>.
function(nines_layer_include_root layer out_var)
  set(root ${NINES_LAYER_ROOT}/${layer})
  file(MAKE_DIRECTORY ${root})
  set(target "")
  if(IS_SYMLINK ${root}/${layer})
    file(READ_SYMLINK ${root}/${layer} target)
  endif()
  if(NOT target STREQUAL "${PROJECT_SOURCE_DIR}/src/${layer}")  # made once, remade if the sources moved
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${layer} ${root}/${layer} SYMBOLIC)
  endif()
  set(${out_var} ${root} PARENT_SCOPE)
endfunction()

# nines_add_layer(<layer> [LAYERS <layer>...] SOURCES <file>... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
# Builds the static library nines_<layer> (nines::<layer> for consumers) from SOURCES. LAYERS are the
# layers it may include and link (publicly: its headers include theirs); what they may use comes with
# them. Records the layers it can see (NINES_LAYERS, NINES_LAYER_SEES_<layer>) for tests/layering.
function(nines_add_layer layer)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "LAYERS;SOURCES;PUBLIC_LIBS;PRIVATE_LIBS")
  set(target nines_${layer})
  add_library(${target} STATIC ${arg_SOURCES})
  add_library(nines::${layer} ALIAS ${target})
  nines_layer_include_root(${layer} root)
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${root}>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/nines>)
  set(sees ${layer})
  foreach(dep IN LISTS arg_LAYERS)
    if(NOT TARGET nines_${dep})
      message(FATAL_ERROR "layer ${layer}: layer ${dep} must be defined before it (data flows one way)")
    endif()
    target_link_libraries(${target} PUBLIC nines_${dep})
    get_property(dep_sees GLOBAL PROPERTY NINES_LAYER_SEES_${dep})
    list(APPEND sees ${dep_sees})
  endforeach()
  list(REMOVE_DUPLICATES sees)
  # Warnings are for building nines only, never for consumers of the installed package.
  target_link_libraries(${target} PUBLIC ${arg_PUBLIC_LIBS} PRIVATE ${arg_PRIVATE_LIBS} $<BUILD_INTERFACE:nines_warnings>)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${layer} POSITION_INDEPENDENT_CODE ON)
  set_property(GLOBAL APPEND PROPERTY NINES_LAYERS ${layer})
  set_property(GLOBAL PROPERTY NINES_LAYER_SEES_${layer} ${sees})
  install(TARGETS ${target} EXPORT nines-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nines/${layer}
          FILES_MATCHING PATTERN "*.h")
endfunction()
