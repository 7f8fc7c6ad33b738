"""Wire-protocol code shared by the server parts and the matrix client.

Standard library only, so the Pi client can import it without server dependencies.
"""
