"""Read models: one module per page or resource, each reading with a fixed number of queries."""
