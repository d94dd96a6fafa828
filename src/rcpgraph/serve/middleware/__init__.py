"""What wraps every route of the service: CORS, caching validators, request-size limits."""
