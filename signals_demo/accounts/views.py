from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .serializers import LoginSerializer


@api_view(["POST"])
@authentication_classes([])  # the caller is not logged in yet: no session, no CSRF check
@permission_classes([AllowAny])
def login_view(request):
    """Session login. authenticate() sends user_login_failed; login() sends user_logged_in."""
    serializer = LoginSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(request._request, **serializer.validated_data)
    if user is None:
        return Response({"non_field_errors": ["Invalid username or password."]}, status=status.HTTP_400_BAD_REQUEST)
    login(request._request, user)
    return Response({"username": user.get_username()})


# A plain Django view: logout() needs the session user that AuthenticationMiddleware
# put on the request. It is CSRF-exempt on purpose: a forged logout can only sign the
# visitor out, and it keeps `curl -X POST` simple. Everything that changes data keeps CSRF.
@csrf_exempt
@require_POST
def logout_view(request):
    logout(request)  # sends user_logged_out (user=None when nobody was logged in)
    return HttpResponse(status=204)
