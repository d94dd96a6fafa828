"""The service's routes, one module a family: identifiers, pages, SPARQL, stored queries."""
