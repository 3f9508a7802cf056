sr_fuzz_target(feed ingest)
