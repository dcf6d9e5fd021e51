"""People who log in, their API tokens, and their roles per programme."""

from engine.auth.service import AuthService, hash_password, verify_password

__all__ = ["AuthService", "hash_password", "verify_password"]
