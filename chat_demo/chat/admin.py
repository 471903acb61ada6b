from django.contrib import admin

from .models import Message, Notification


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "room", "user", "sent_at"]
    list_filter = ["room"]
    search_fields = ["text"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "message", "created_at"]
    raw_id_fields = ["message"]
