"""Slack listeners, one module per area, each with `register(app, services, routers)`; `areas` lists them."""
