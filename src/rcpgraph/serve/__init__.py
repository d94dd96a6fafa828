"""`rcpgraph serve`: the release as a linked-data service, read-only, on loopback by default.

One module a job: `app` builds the application, `state` holds the loaded release and its answers,
`negotiation` picks formats, `limits` caps requests, `caching` adds validators (ETag, 304), `cors`
lets pages on other origins read the answers, `http` turns errors into statuses; the routes
are `sparql` (the SPARQL 1.1 Protocol), `ids` (dereferenceable IRIs, downloads, the dataset
description), `pages` (HTML, from `templates/` and `static/`) and `stored` (the stored-query API,
described by `openapi`); `resources`, `labels`, `cells` and `views` work out what a page or a
description says.
"""
