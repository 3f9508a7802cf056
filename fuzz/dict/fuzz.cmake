sr_fuzz_target(dict code)
