"""Colour of a reminder row's number (C6), decided from plain values.

* pink: an operator handled the row by hand (double-click), whatever else;
* green / orange / red: the patient chose Confirm / Reschedule / Cancel on the page;
* purple: the patient replied in their own words; someone has to read it (C12);
* cyan: the patient opened the link but chose nothing (C6, "link opened");
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
PURPLE = "purple"
CYAN = "cyan"

COLOURS = (GREY, BLUE, CYAN, PURPLE, GREEN, ORANGE, RED, PINK)
RESPONSE_COLOUR = {"confirm": GREEN, "reschedule": ORANGE, "cancel": RED}
# Rows an operator still has to call (C5: "call every unmarked row") or read (C12).
NEEDS_CALL = (GREY, BLUE, CYAN, PURPLE, ORANGE, RED)


def decide(messenger_states, response, handled, replied=False, opened=False):
    """Colour for a row whose messenger messages are in ``messenger_states``.

    ``replied``: a reply of the patient waits for someone to read it;
    ``opened``: the patient opened their link.
    """
    if handled:
        return PINK
    if response in RESPONSE_COLOUR:
        return RESPONSE_COLOUR[response]
    if replied:
        return PURPLE
    if opened:
        return CYAN
    if any(state in REACHED for state in messenger_states):
        return BLUE
    return GREY
