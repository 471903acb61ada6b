from django.urls import path

from . import views

urlpatterns = [
    path("", views.ContactListView.as_view(), name="contact-list"),
    path("import/", views.ImportView.as_view(), name="contact-import"),
    path("imports/<int:pk>/", views.ImportStatusView.as_view(), name="contact-import-status"),
    path("phone-import-recorded/", views.PhoneImportRecordedView.as_view(), name="phone-import-recorded"),
    path("invite/", views.InviteView.as_view(), name="contact-invite"),
]
