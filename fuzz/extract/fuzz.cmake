sr_fuzz_target(extract extract)
