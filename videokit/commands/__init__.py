"""The commands wing: one module per `videokit` command, each orchestrating the rooms below it (none imports upward)."""
