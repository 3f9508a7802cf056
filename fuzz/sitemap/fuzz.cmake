sr_fuzz_target(sitemap ingest)
