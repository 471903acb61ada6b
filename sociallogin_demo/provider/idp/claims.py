from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailClaimsValidator(OAuth2Validator):
    """Adds the claims a relying party needs: email and, as Google does, email_verified."""

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.groups.filter(name="email-verified").exists(),
            "preferred_username": user.username,
            "name": user.get_full_name() or user.username,
        }
