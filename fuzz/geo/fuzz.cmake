sr_fuzz_target(geo geo)
