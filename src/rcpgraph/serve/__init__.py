"""`rcpgraph serve`: the release as a linked-data service, read-only, on loopback by default.

One module a job: `app` builds the application, `settings` holds its options, `state` the loaded
release, its query workers and its answers, `watch` stops a query whose client went away,
`negotiation` picks formats and `http` turns errors into statuses.
`middleware/` wraps every route: `limits` caps requests, `caching` adds validators (ETag, 304),
`cors` lets pages on other origins read the answers. `routes/` answers: `sparql` (the SPARQL 1.1
Protocol), `ids` (dereferenceable IRIs, downloads, the dataset description), `pages` (HTML, from
`templates/` and `static/`), `stored` (the stored-query API, described by `openapi`) and `health` (the
query workers and the answer cache).
`resources`, `labels`, `cell_views` and `views` work out what a page or a description says.
`connections` holds the limits on slow and many clients, which `protocol` applies to uvicorn's HTTP/1.1.
"""
