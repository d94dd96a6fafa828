"""Real SPARQL stores over HTTP: the client, and pushing the release into one."""
