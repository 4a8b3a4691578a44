"""The OS1 server: REST and WebSocket API, token auth, and the client other terminals use."""
