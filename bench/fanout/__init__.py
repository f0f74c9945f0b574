"""Fan-out benchmark: 10,000 due nudges delivered to 20 sandbox workspaces under Slack-like limits."""
