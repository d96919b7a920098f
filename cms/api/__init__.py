"""The headless API: Wagtail API v2 endpoints and the v3 preview."""
