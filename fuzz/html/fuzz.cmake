sr_fuzz_target(html extract)
# Coverage feedback from the reader itself, not only from the target.
if(NOT SR_EXTRACT_FUZZ_COVERAGE)
  set(SR_EXTRACT_FUZZ_COVERAGE ON)
  target_compile_options(sr_extract_obj PRIVATE -fsanitize=fuzzer-no-link)
endif()
