"""LocalStack plugins for this project (see plugins.py): no Docker, nothing listening beyond 127.0.0.1."""
