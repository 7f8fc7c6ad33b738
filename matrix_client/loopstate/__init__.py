"""The render loop's state, by job; :class:`matrix_client.loop.RenderLoop` steps them.

- :mod:`.rotation`: which rotation entry is on, paused, a forced page, when to move on
- :mod:`.commands`: draining the control queue and dispatching each command
- :mod:`.brightness`: the schedule, a ``brightness`` override, what the panel was told
- :mod:`.notices`: the garbage alert, the notification queue and its banner layer
- :mod:`.pages`: page specs by name, rendering one with an error card when it fails
- :mod:`.render_cache`: what was rendered, for which data versions, until when
- :mod:`.staleness`: whether a page's data is past ``valid``, and when it will be
- :mod:`.push`: composing the overlay and pushing only changed pictures
- :mod:`.upkeep`: the debounced state cache write and the systemd watchdog

Each is driven by the loop's clock readings (no thread, no timer of its own) and
answers how long until it needs the loop again, so the loop sleeps the minimum.
"""
