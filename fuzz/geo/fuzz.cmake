sr_fuzz_target(geo geo)
# Coverage feedback from the code under test, not only from the target file.
target_compile_options(sr_geo_obj PRIVATE -fsanitize=fuzzer-no-link)
