"""Search spaces whose networks the proxy engine can build."""
