from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("me/notifications/", views.notification_list, name="list"),
    path("me/notifications/read-all/", views.notifications_read_all, name="read_all"),
    path("me/notifications/<int:notification_id>/read/", views.notification_read, name="read"),
    path("me/notifications/settings/", views.notification_settings, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
