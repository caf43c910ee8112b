"""vicon's web layer: the Flask app (JSON API under /api/v1, pages), its
configuration and the processes that serve it. It talks to the engine only
through the names ``engine`` exports."""
