from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.plumbing.openapi import VALIDATION_ERROR

from .models import Message
from .serializers import HistoryPageSerializer, HistoryQuerySerializer, MessageSerializer


@extend_schema(parameters=[HistoryQuerySerializer], responses={200: HistoryPageSerializer, 400: VALIDATION_ERROR})
@api_view(["GET"])
def history_view(request, room):
    """A room's messages, a page at a time, newest last.

    No parameter: the latest page. ``before=<seq>``: the page before it (the "previous"
    link). ``after=<seq>``: what came after the last message a client has, to fill a gap
    that a dropped connection or a full channel left (pitfall 6).
    """
    query = HistoryQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    size = settings.CHAT_HISTORY_PAGE_SIZE
    messages = Message.objects.filter(room=room).select_related("user")
    if "after" in query.validated_data:
        page = list(messages.filter(seq__gt=query.validated_data["after"]).order_by("seq")[: size + 1])
        more_after, more_before = len(page) > size, None
        page = page[:size]
    else:
        if "before" in query.validated_data:
            messages = messages.filter(seq__lt=query.validated_data["before"])
        page = list(messages.order_by("-seq")[: size + 1])
        more_before, more_after = len(page) > size, None
        page = page[:size][::-1]
    return Response(page_body(request, page, more_before, more_after))


def page_body(request, page, more_before, more_after):
    url = request.build_absolute_uri()
    older = more_before and replace_query_param(url, "before", page[0].seq)
    newer = more_after and replace_query_param(url, "after", page[-1].seq)
    return {"results": MessageSerializer(page, many=True).data, "previous": older or None, "next": newer or None}


@login_required
def room_page(request, room):
    """The chat page: a few lines of JavaScript open ws/chat/<room>/ (static/chat/chat.js)."""
    return render(request, "chat/room.html", {"room": room})
