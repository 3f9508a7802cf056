sr_fuzz_target(code code)
target_compile_definitions(fuzz_code PRIVATE SR_FIXTURES="${PROJECT_SOURCE_DIR}/tests/fixtures")
# coverage feedback from the coder itself, not only from the harness
target_compile_options(sr_code_obj PRIVATE -fsanitize=fuzzer-no-link)
