"""Two-factor sign-in for everyone who sees other people's data (ADR 0015).

A Django app inside ``accounts`` (label ``second_factor``): an authenticator app (django-otp's TOTP device) and
single-use recovery codes stored hashed (our own device), the rule that sends staff to set up or enter a code
before any staff page, and the audited reset a site admin does for someone who lost their device.
"""
