"""Storage: SQLAlchemy 2 tables and the database set-up (SQLite or PostgreSQL)."""
