sr_fuzz_target(text text)
