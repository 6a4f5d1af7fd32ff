"""Statistical disclosure control shared by every page that counts people (ADR 0017). Pure Python, no Django."""
