"""Demo mode: six months of past requests, seeded by start-up code through the facade
(the demo accounts themselves are ``engine.accounts.demo``)."""
