sr_fuzz_target(sitemap ingest)
# Coverage feedback from the parsers themselves, not only from the target.
if(NOT SR_INGEST_FUZZ_COVERAGE)
  set(SR_INGEST_FUZZ_COVERAGE ON)
  target_compile_options(sr_ingest_obj PRIVATE -fsanitize=fuzzer-no-link)
endif()
