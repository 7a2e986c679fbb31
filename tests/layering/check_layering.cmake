# The layering test (see CMakeLists.txt here). Builds the allowed-include probes, which must compile,
# then the forbidden-include probes, each of which must fail on its include with "file not found".
include(${PROBES})

# A relative include ("../io/x.h") would walk around the include roots.
file(GLOB_RECURSE sources ${SOURCE_DIR}/src/*.h ${SOURCE_DIR}/src/*.cpp)
foreach(f IN LISTS sources)
  file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"\\.\\./")
  if(lines)
    message(SEND_ERROR "${f}: a relative include reaches another layer around its include roots: ${lines}")
  endif()
endforeach()

if(GENERATOR MATCHES "Ninja")
  set(keep_going -k 0)
else()
  set(keep_going -k)
endif()

execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${POSITIVE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a layer cannot include the headers of the layers it may use:\n${out}")
endif()
message(STATUS "${POSITIVE}: compile")

set(targets "")
foreach(entry IN LISTS NEGATIVE)
  string(REPLACE "=" ";" entry "${entry}")
  list(GET entry 0 target)
  list(APPEND targets ${target})
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${targets} -- ${keep_going}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
set(failures 0)
foreach(entry IN LISTS NEGATIVE)
  string(REPLACE "=" ";" entry "${entry}")
  list(GET entry 1 source)
  list(GET entry 2 header)
  string(REPLACE "." "\\." source_re "${source}")
  string(REPLACE "." "\\." header_re "${header}")
  # GCC: "x.cpp:2:10: fatal error: io/a.h: No such file or directory"; Clang: "... '<io/a.h>' file not found".
  if(out MATCHES "${source_re}:[0-9]+:[0-9]+: fatal error: '?${header_re}'?:? (No such file or directory|file not found)")
    message(STATUS "${source}: ${header} not found, as it must be")
  else()
    message(SEND_ERROR "${source}: including ${header} did not fail with \"file not found\"")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()
if(rc EQUAL 0 OR failures GREATER 0)
  message(FATAL_ERROR "${failures} forbidden include(s) were not refused (build exit ${rc}):\n${out}")
endif()
