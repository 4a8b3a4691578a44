"""Initiative: what OS1 says and does on its own — scheduled nudges (the outbox), the scheduler that
claims them when due, and the outlets (terminal, WebSocket, voice) that say them."""
