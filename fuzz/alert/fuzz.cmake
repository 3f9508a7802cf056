sr_fuzz_target(alert alert)
