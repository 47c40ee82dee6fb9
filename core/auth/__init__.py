"""Logging in and out, passwords, invitations and user administration."""
