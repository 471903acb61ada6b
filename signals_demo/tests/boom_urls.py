from django.urls import path

from tests.test_other_signals import boom

urlpatterns = [path("boom/", boom)]
