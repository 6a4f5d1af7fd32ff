"""Operations: /health/, the beat heartbeat, request ids and structured logs (ADR 0009)."""
