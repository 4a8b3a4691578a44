"""OS1: a personal AI operating system that runs offline on your own machine.

A turn flows sense → understand → remember → decide → act → express; the
folders follow that flow: perception, mind (with brain), memory, skills behind
guard, expression; core holds the turn loop, server and cli the ways in.
"""

__version__ = "0.1.0"
