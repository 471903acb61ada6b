from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Event
from .receivers import feed_limit
from .serializers import EventSerializer


@extend_schema(responses=EventSerializer(many=True))
@api_view(["GET"])
def event_list(request):
    """The activity feed, newest first: what the demo's receivers wrote."""
    events = Event.objects.all()[: feed_limit()]
    return Response(EventSerializer(events, many=True).data)
