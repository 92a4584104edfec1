"""What a patient's free-text reply to a reminder clearly means (C12).

Only replies that say yes or no and nothing else are read as such: "да",
"Ja, ich komme", "yes 👍", "нет, не смогу". Anything with a question, a
condition or both a yes and a no ("yes but later?", "да, но можно позже")
is left to a person. The result is only ever a suggestion: an operator
applies it with one click, never this module.
"""

import re
import unicodedata

CONFIRM = "confirm"
CANCEL = "cancel"

# Words that, alone or with polite filler, answer the reminder (en, ru, de).
YES_WORDS = {
    # en
    "yes", "yeah", "yep", "yup", "ok", "okay", "sure", "confirm", "confirmed",
    "coming", "come", "attend", "see", "there", "fine", "y",
    # ru
    "да", "ага", "угу", "хорошо", "ок", "приду", "буду", "подтверждаю", "конечно",
    "придём", "придем", "будем", "обязательно",
    # de
    "ja", "jawohl", "jep", "klar", "gerne", "gern", "komme", "kommen", "bestätige",
    "bestätigt", "passt", "einverstanden", "sicher", "natürlich",
}  # fmt: skip
NO_WORDS = {
    # en
    "no", "nope", "cancel", "cancelled", "canceled", "cannot", "can't", "cant", "won't",
    "wont", "not", "n",
    # ru
    "нет", "отмена", "отменить", "отменяю", "отмените",
    # de
    "nein", "nicht", "absagen", "absage", "storno", "stornieren",
}  # fmt: skip
# Words that carry no answer of their own ("yes, thank you, see you").
FILLER = {
    "i", "we", "will", "be", "the", "you", "can", "kann", "leider", "thanks", "thank",
    "please", "at", "on",
    "time", "tomorrow", "appointment", "to", "it", "a", "for", "sorry", "ill", "i'll",
    "спасибо", "я", "мы", "завтра", "на", "приём", "прием", "запись", "записи",
    "пожалуйста", "в", "к", "извините", "сожалению",
    "danke", "ich", "wir", "morgen", "bitte", "den", "termin", "zum", "zu", "am",
    "schön", "vielen", "dank", "es", "tut", "mir", "leid",
}  # fmt: skip
YES_EMOJI = {"👍", "👌", "✅", "✔", "☑", "🙂", "😊", "🆗"}
NO_EMOJI = {"👎", "❌", "✖", "🚫", "⛔"}
# Phrases read as one answer before the words are weighed.
NO_PHRASES = (
    "не приду", "не смогу", "не буду", "не получится", "не сможем", "не придём", "не придем",
    "can't come", "cannot come", "can not come", "won't come", "will not come", "not coming",
    "kann nicht", "komme nicht", "kommen nicht", "nicht kommen", "schaffe es nicht",
)  # fmt: skip
# Anything asking or bargaining needs a person.
UNSURE = re.compile(
    r"\?|\b(?:but|later|another|other|move|reschedule|maybe|perhaps|when|"
    r"но|позже|перенести|перенос|другое|другой|может|можно|когда|"
    r"aber|später|verschieben|anderen|andere|vielleicht|wann)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[\w'’]+", re.UNICODE)


def _emoji(text):
    found = set()
    for char in text:
        if char in YES_EMOJI:
            found.add(CONFIRM)
        elif char in NO_EMOJI:
            found.add(CANCEL)
    return found


def classify(text):
    """``"confirm"``, ``"cancel"`` or ``None`` when the reply is not a clear yes or no."""
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFC", text).strip().lower().replace("’", "'")
    if not text or len(text) > 200 or UNSURE.search(text):
        return None
    answers = _emoji(text)
    for phrase in NO_PHRASES:
        if phrase in text:
            answers.add(CANCEL)
            text = text.replace(phrase, " ")
    words = WORD.findall(text)
    for word in words:
        if word in FILLER:
            continue
        if word in NO_WORDS:
            answers.add(CANCEL)
        elif word in YES_WORDS:
            answers.add(CONFIRM)
        else:
            return None  # a word we do not know: let a person read it
    return answers.pop() if len(answers) == 1 else None
