"""Business rules for simulation suites, one module per thing they change."""
