# Sanitizer and fuzzing instrumentation for every target, set by the asan-ubsan and tsan presets.
#   SRE_SANITIZE: a list of -fsanitize= values ("address;undefined", or "thread"); empty: none.
#   SRE_FUZZ: instrument for coverage and build the libFuzzer targets of tests/fuzz (clang only).
set(SRE_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. address;undefined or thread")
option(SRE_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)

if(SRE_SANITIZE)
  list(JOIN SRE_SANITIZE "," sre_sanitizers)
  add_compile_options(-fsanitize=${sre_sanitizers} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${sre_sanitizers})
  if("undefined" IN_LIST SRE_SANITIZE)
    # A report of undefined behaviour ends the program, so a test that triggers one fails.
    add_compile_options(-fno-sanitize-recover=undefined)
    # Without the `function` check (a call through a function pointer of another type): clang
    # 14 places a coroutine's resume and destroy clones in other sections than the data this
    # check puts before each function, and the assembler fails ("Cannot represent a
    # difference across sections").
    add_compile_options(-fno-sanitize=function)
  endif()
endif()

if(SRE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SRE_FUZZ needs clang (libFuzzer ships with it): use the asan-ubsan preset")
  endif()
  # Coverage counters in every library; only the fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
