"""The core: settings, the runtime that holds one mind's parts, the turn loop and its events."""
