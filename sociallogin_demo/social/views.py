from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework_simplejwt.serializers import TokenBlacklistSerializer
from rest_framework_simplejwt.views import TokenBlacklistView


def linked_providers(user):
    return sorted(SocialAccount.objects.filter(user=user).values_list("provider", flat=True))


@extend_schema(
    responses=inline_serializer(
        "Me",
        {"id": serializers.IntegerField(), "email": serializers.EmailField(), "providers": serializers.ListField()},
    )
)
@api_view(["GET"])
def me_view(request):
    """Who the JWT belongs to: any endpoint behind SimpleJWT accepts the bridged pair."""
    user = request.user
    return Response({"id": user.pk, "email": user.email, "providers": linked_providers(user)})


@login_required
def profile_page(request):
    """Where the browser lands after signing in: who you are, and the accounts linked."""
    return render(request, "social/profile.html", {"providers": linked_providers(request.user)})


class SignOutSerializer(TokenBlacklistSerializer):
    refresh = serializers.CharField(write_only=True, max_length=2048)  # a JWT is a few hundred


class SignOutView(TokenBlacklistView):
    """POST /api/auth/logout/ {"refresh": ...}: the app signs out, and its refresh token is
    blacklisted (SimpleJWT's view). allauth's own sign-out (DELETE /_allauth/app/v1/auth/session)
    ends allauth's session and knows nothing of the pair: the refresh token would buy new
    access tokens for a day. The access token lives out its 5 minutes."""

    serializer_class = SignOutSerializer
