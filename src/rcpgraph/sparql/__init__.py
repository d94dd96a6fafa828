"""Queries on the release: the lexer, the safety rules, the stored-query catalogue, the store and
its engines, the workers that run queries within their limits, results and terms.

This path never imports rdflib unless a query needs it (tests/test_packaging.py checks).
"""
