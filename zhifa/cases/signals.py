"""Signals other apps listen to instead of reaching into the engine."""

from django.dispatch import Signal

# Sent by the engine inside the action's transaction, after its event and deadlines are saved,
# with ``ctx`` (engine.Context) and ``event`` (CaseEvent). A receiver that raises rolls the action back.
action_performed = Signal()
