"""Slack listeners, one module per area, each with `register(app, services)`; `areas` lists them."""
