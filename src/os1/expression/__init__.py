"""How OS1 shows and says things: terminal rendering now; speech later."""
