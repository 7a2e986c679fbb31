# The consumer test: installs nines from BUILD_DIR into a staging prefix, builds the project in
# SOURCE_DIR/tests/consumer against it with find_package(nines) (and nothing else on the prefix
# path), runs it on a scenario and checks that it prints the same availability as the CLI.
set(work ${WORK_DIR})
set(stage ${work}/stage)
set(consumer_build ${work}/build)
file(REMOVE_RECURSE ${stage} ${consumer_build})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc}):\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${stage})
run("configuring the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${consumer_build}
    -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${stage} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
file(STRINGS ${consumer_build}/CMakeCache.txt nines_dir REGEX "^nines_DIR:")
if(NOT nines_dir MATCHES "^nines_DIR:PATH=${stage}/")
  message(FATAL_ERROR "the consumer did not find the staged package: ${nines_dir}")
endif()
run("building the consumer" ${CMAKE_COMMAND} --build ${consumer_build})

set(scenario ${SOURCE_DIR}/scenarios/web_two_zones.yaml)
set(replications 20)
run("the consumer" ${consumer_build}/nines_consumer ${scenario} ${replications})
set(printed "${out}")
message(STATUS "consumer: ${printed}")
if(NOT printed MATCHES "^availability ([0-9.e+-]+) over ${replications} replications\n$")
  message(FATAL_ERROR "unexpected consumer output: ${printed}")
endif()
set(consumer_mean ${CMAKE_MATCH_1})

# The CLI, same scenario, replications and seed: the same double (results do not depend on threads).
run("nines run" ${NINES} run ${scenario} -n ${replications} -j 2 --json ${work}/cli.json -q)
file(READ ${work}/cli.json json)
string(JSON cli_mean GET "${json}" results availability mean)
# CMake's JSON reader prints a number with 17 significant digits: read the consumer's the same way.
string(JSON consumer_mean GET "[${consumer_mean}]" 0)
if(NOT consumer_mean STREQUAL cli_mean)
  message(FATAL_ERROR "the consumer printed availability ${consumer_mean}, the CLI ${cli_mean}")
endif()
message(STATUS "the CLI's availability is the same: ${cli_mean}")
