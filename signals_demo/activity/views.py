from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from .models import Event
from .receivers import feed_limit
from .serializers import EventSerializer


@extend_schema(responses=EventSerializer(many=True))
@api_view(["GET"])
# Staff only: the feed is the school's audit trail (every account's logins, every student
# change); no row belongs to one user, so "only your own events" has nothing to filter on.
@permission_classes([IsAdminUser])
def event_list(request):
    """The activity feed, newest first: what the demo's receivers wrote. Staff only."""
    events = Event.objects.all()[: feed_limit()]
    return Response(EventSerializer(events, many=True).data)
