"""The web application: app factory, back office, citizen site and the `motcua` CLI."""
