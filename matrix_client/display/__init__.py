"""Display backends behind one small interface; see :mod:`matrix_client.display.base`."""
