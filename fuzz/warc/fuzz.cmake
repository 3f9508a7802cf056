sr_fuzz_target(warc ingest)
