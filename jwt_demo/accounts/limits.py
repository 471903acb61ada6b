"""Input bounds, shared by the serializers (and so documented in the OpenAPI schema)."""

# Long enough for any passphrase; short enough that hashing it is not a denial of service.
PASSWORD_MAX_LENGTH = 1024
# E.164 has at most 15 digits; room for spaces, dashes and parentheses as typed.
PHONE_MAX_LENGTH = 32
