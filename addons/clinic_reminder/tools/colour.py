"""Colour of a reminder row's number (C6), decided from plain values.

* pink: an operator handled the row by hand (double-click), whatever else;
* green / orange / red: the patient chose Confirm / Reschedule / Cancel on the page;
* blue: a messenger message reached the patient, the link was not used;
* grey: nothing reached the patient through a messenger.
"""

from .message_state import REACHED

GREY = "grey"
BLUE = "blue"
GREEN = "green"
ORANGE = "orange"
RED = "red"
PINK = "pink"

COLOURS = (GREY, BLUE, GREEN, ORANGE, RED, PINK)
RESPONSE_COLOUR = {"confirm": GREEN, "reschedule": ORANGE, "cancel": RED}
# Rows an operator still has to call (C5: "call every unmarked row").
NEEDS_CALL = (GREY, BLUE, ORANGE, RED)


def decide(messenger_states, response, handled):
    """Colour for a row whose messenger messages are in ``messenger_states``."""
    if handled:
        return PINK
    if response in RESPONSE_COLOUR:
        return RESPONSE_COLOUR[response]
    if any(state in REACHED for state in messenger_states):
        return BLUE
    return GREY
