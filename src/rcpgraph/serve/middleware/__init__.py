"""What wraps every route of the service: CORS, caching validators, compression, request-size limits."""
