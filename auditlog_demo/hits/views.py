from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers

from config.plumbing.openapi import VALIDATION_ERROR

from .models import ApiHit
from .serializers import ApiHitSerializer


class LimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=100)


@extend_schema_view(
    get=extend_schema(parameters=[LimitSerializer], responses={200: ApiHitSerializer(many=True), 400: VALIDATION_ERROR})
)
class ApiHitListView(generics.ListAPIView):
    """GET /api/hits/?limit=100: the newest hits first, staff only."""

    permission_classes = [permissions.IsAdminUser]
    serializer_class = ApiHitSerializer
    pagination_class = None

    def get_queryset(self):
        params = LimitSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)  # 400 {"limit": [...]}
        return ApiHit.objects.select_related("user").order_by("-timestamp", "-pk")[: params.validated_data["limit"]]
