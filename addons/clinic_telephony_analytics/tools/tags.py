"""Rules of the post-call tag popup and of the tag display (T9)."""

MODE_NO_BOOKING = "no_booking"
MODE_ALWAYS = "always"

# Shown in the history for a call whose popup was never saved (tab closed).
NO_TAGS = "—"


class TagRuleError(ValueError):
    """A tag request breaks a T9 rule; the message names which one."""


def should_ask(enabled, mode, answered, has_booking, already_tagged):
    """Whether the user who handled a call that just ended gets the popup.

    Only calls with a conversation are tagged (a missed call or an unanswered
    outgoing call has nothing to classify), never twice, and in mode
    "only when no booking was made" not after a booking.
    """
    if not enabled or not answered or already_tagged:
        return False
    if mode == MODE_ALWAYS:
        return True
    return not has_booking


def check_selection(tag_ids, other_comment, already_tagged):
    """Validate what the popup saves; returns the cleaned "Other tag" comment.

    At least one tag, or the "Other tag" with a comment, is required; tags
    already saved on a call cannot be changed.
    """
    if already_tagged:
        raise TagRuleError("already_tagged")
    comment = (other_comment or "").strip()
    if other_comment is not None and not comment:
        raise TagRuleError("empty_other")
    if not tag_ids and not comment:
        raise TagRuleError("nothing_chosen")
    return comment or None


def grouped_display(lines, other_label):
    """One line of text for the history, tags grouped by their group.

    ``lines`` are ``(group_name, tag_name, comment)`` triples in the order they
    were set; a line with a comment is the "Other tag" and shows the comment
    itself. Groups keep their first-seen order.
    """
    groups = {}
    others = []
    for group_name, tag_name, comment in lines:
        if comment:
            others.append(comment)
        else:
            groups.setdefault(group_name or "", []).append(tag_name)
    parts = [
        f"{group}: {', '.join(names)}" if group else ", ".join(names)
        for group, names in groups.items()
    ]
    parts += [f"{other_label}: {comment}" for comment in others]
    return "; ".join(parts) or NO_TAGS
