"""Partner providers (universities, agencies, communities, vendors) and their offerings: external courses people can request and HR records on completion."""
