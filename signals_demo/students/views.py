from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from .models import Student
from .serializers import StudentSerializer


class StudentViewSet(viewsets.ModelViewSet):
    """/api/students/ : every write fires the model signals this demo teaches.

    Open to anyone so the signals are easy to watch: a demo, not a production API.
    """

    queryset = Student.objects.select_related("personal_detail").order_by("id")
    serializer_class = StudentSerializer
    permission_classes = [AllowAny]
    authentication_classes = []  # no session, so no CSRF dance for curl users
