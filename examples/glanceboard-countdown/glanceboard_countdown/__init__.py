"""A glanceboard plugin: the ``countdown`` page and the ``countdown`` producer.

The producer publishes ``Countdown`` messages (``{"events": [{"name", "at", "from"}]}``);
the page shows the next event and the time left until it.
"""
