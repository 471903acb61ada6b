"""The one password hasher of the tests, in the test process and in every child process
it starts (``child_settings``). Production settings keep Django's default, PBKDF2."""

# Hashing with PBKDF2's real cost makes every test that creates a user slow; tests
# only need *a* hasher.
FAST_TEST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
