"""Process versions: the store, upload, history, differences, migration, the modeler."""
