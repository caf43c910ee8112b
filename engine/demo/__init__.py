"""Demo mode: the demo accounts and six months of past requests."""
