"""Entry points: the server, the worker, the command-line tools and gunicorn's configuration."""
