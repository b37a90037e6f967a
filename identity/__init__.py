"""Single sign-on with the city's OpenID Connect provider (docs/SSO.md).

- ``discovery``: the provider's endpoints, read from ``<OIDC_ISSUER>/.well-known/
  openid-configuration`` once and cached.
- ``backends``: the sign-on backend (mozilla-django-oidc's, reading the discovered endpoints
  and checking the ID token's signature, issuer, audience, expiry and nonce) and the password
  backend that ``LOCAL_LOGIN_ENABLED`` switches off.
- ``services``: linking a sign-on to the person by the NIP claim, and the HR group from the
  role claim.
- ``views``/``urls``: the login page, the sign-on start, callback and single logout, and the
  Wagtail admin's login under the same rule.
- ``checks``: system checks of the sign-on settings.
"""
