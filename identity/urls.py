"""The sign-on's URLs, and the Wagtail admin's login and logout under the same rules as the
site's (included before the admin's own URLs in ``lms/urls.py``, so these take precedence)."""

from django.urls import path

from identity import views

app_name = "identity"

urlpatterns = [
    path("sso/login/", views.SignOnStartView.as_view(), name="sso_login"),
    path("sso/callback/", views.SignOnCallbackView.as_view(), name="sso_callback"),
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/logout/", views.LogoutView.as_view(), name="admin_logout"),
]
