"""A request's life outside its tasks: queries, withdrawal, rescheduling, files, tracking."""
