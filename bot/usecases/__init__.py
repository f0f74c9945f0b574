"""The service layer: use cases that listeners, workers, the shell and the CLI all call.

A use case takes plain inputs and a unit of work, decides with `bot.domain`, persists with `storage`,
queues any Slack work through `bot.effects`, and returns a typed result for the caller to render. It
never sees Bolt, Block Kit or a listener thread.
"""
