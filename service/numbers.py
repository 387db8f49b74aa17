"""Find number expressions in a sentence and read their values: pure text, no parse.

A `Mention` is the number as written with what is glued to it: a currency sign or code
before, a scale word after ("1.2m", "3.4bn", "two million", "half a million"), a percent
sign or word. Number words ("six", "twenty-six", "a dozen") and fractions ("a third of",
"half the") are read too. Context (hedges, what is counted, whether it is a year) is the
extract stage's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
SCALE_WORDS = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
SCALE_ABBREV = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
    "b": 1_000_000_000, "bln": 1_000_000_000, "tn": 1_000_000_000_000, "trn": 1_000_000_000_000,
    "tr": 1_000_000_000_000, "mil": 1_000_000,
}
FRACTION_WORDS = {
    "half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25, "fifth": 0.2,
    "fifths": 0.2, "tenth": 0.1, "tenths": 0.1, "fourth": 0.25, "fourths": 0.25, "sixth": 1 / 6,
    "sixths": 1 / 6, "eighth": 0.125, "eighths": 0.125,
}

CURRENCY_SIGNS = {
    "$": "USD", "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
    "HK$": "HKD", "S$": "SGD", "R$": "BRL", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "₩": "KRW", "₺": "TRY", "Rs": "INR", "Rs.": "INR", "NT$": "TWD", "RM": "MYR", "AUD$": "AUD",
    # Copy passed through an ASCII transliteration writes £ as "PS" and ¥ as "Y=".
    "PS": "GBP", "Y=": "JPY",
}
CURRENCY_CODES = {
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "CAD", "AUD", "CHF", "RUB", "NZD", "HKD", "SGD",
    "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "TRY", "BRL", "MXN", "ZAR", "KRW", "NGN", "KES", "EGP",
    "PKR", "BDT", "IDR", "MYR", "THB", "PHP", "VND", "UAH", "ILS", "AED", "SAR", "QAR", "TWD",
}
CURRENCY_NAMES = {
    "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "euro": "EUR",
    "euros": "EUR", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "franc": "CHF", "francs": "CHF",
    "pence": "GBX", "penny": "GBX", "cents": "USD_CENT", "cent": "USD_CENT", "won": "KRW", "naira": "NGN",
    "shillings": "KES", "lira": "TRY", "rand": "ZAR", "pesos": "MXN", "peso": "MXN", "krona": "SEK",
    "kronor": "SEK", "krone": "NOK", "kroner": "NOK", "zloty": "PLN", "hryvnia": "UAH", "dirhams": "AED",
    "riyals": "SAR", "ringgit": "MYR", "baht": "THB", "rupiah": "IDR", "taka": "BDT",
}

_WORD_NUM = "|".join(sorted([*UNITS_WORDS, *TENS_WORDS], key=len, reverse=True))
_SCALE_W = "|".join(SCALE_WORDS)
_FRAC = "half|thirds?|quarters?|fifths?|tenths?"
# Signs, and signs with a country ("US$", "US $", "$US", "HK$", "RM" for ringgit): case-sensitive.
_CUR_SIGN = (
    r"(?:(?:US|C|CA|A|AU|NZ|HK|S|R|NT)\s?\$|\$\s?(?:US|A|AU|NZ|C|CA|HK|S)(?=\s?\d)"
    r"|[$£€¥₹₽₩₺]|Rs\.?(?=\s?\d)|RM(?=\s?\d)|(?<![\w])PS(?=\d{2,}|\d[.,]\d|\d\s?(?:m|bn|k)\b)|Y=(?=\s?\d))"
)
_CUR_CODE = r"(?:" + "|".join(sorted(CURRENCY_CODES)) + r")"

# Digits: 1,200,000.5 | 1 200 000 | 1.200.000,5 (only with a decimal comma) | 1200.5 | .5
_DIGITS = (
    r"(?:\d{1,3}(?:\.\d{3})+,\d+"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ ]\d{3})+(?![\d,.])"
    r"|\d+(?:\.\d+)?"
    r"|\.\d+)"
)
_UNITS_1_9 = "one|two|three|four|five|six|seven|eight|nine"
# One to ninety-nine in words: "six", "twenty-six", "twenty six".
_W99 = rf"(?:(?:{'|'.join(TENS_WORDS)})(?:[- ](?:{_UNITS_1_9})\b)?|(?:{_WORD_NUM}))"
# Up to 999: "six hundred (and) forty-two".
_W999 = rf"(?:{_W99}(?:\s+hundred(?:\s+(?:and\s+)?{_W99})?)?)"
# Chained through scale words when more number words follow: "twenty-eight thousand six hundred".
_WORDS = (
    rf"(?:(?:{_W99})\s+dozen\b"
    rf"|{_W999}(?:\s+(?:thousand|million|billion|trillion)(?=\s+(?:and\s+)?(?:{_WORD_NUM})\b)"
    rf"\s+(?:and\s+)?{_W999})*"
    rf"|an?\s+(?:dozen|hundred|thousand|million|billion|trillion)"
    rf"|(?:one\s+and\s+a\s+)?half\s+an?\s+(?:dozen|million|billion|trillion)"
    rf"|(?:an?\s+)?half[\s-]dozen)"
)
# Nouns after which a spaced "m" is a million: "5 m people".
_M_NOUNS = (
    "dollars|pounds|euros|people|tonnes|barrels|users|customers|homes|doses|jobs|passengers|visitors|residents"
)
# Scientific notation after the digits: "1.99×10-30", "3 × 10^6".
_EXPONENT = r"(?:\s?×\s?10\s?(?:\^\s?)?(?P<exp>[-−]?\d{1,3})\b)"

MENTION = re.compile(
    rf"""
    (?<![A-Za-z])  # no number starts inside a word: spares the search most positions
    (?:(?P<cur>(?-i:{_CUR_SIGN}|{_CUR_CODE}))\s?|(?<![\w.])(?<!\d,))
    (?P<neg>(?<![\w)\]])-(?=\d)|\bminus[\s-]?(?=\d))?
    (?:(?P<digits>{_DIGITS})|(?P<words>\b{_WORDS}\b))
    {_EXPONENT}?
    (?P<scale>
        (?:[ ](?:and\s+a\s+half\s+)?(?:{_SCALE_W})s?\b(?:[ ](?:{_SCALE_W})\b)?)
        |(?:[ ]?(?:bn|mn|mln|bln|trn|tn)\b)
        |(?:(?<=\d)(?:k|m|b|tr|mil)\b)
        |(?:[ ](?-i:m|B)\b(?=[ ]?(?:[$£€]|{_M_NOUNS})))
    )?
    (?P<pct>[ ]?%|[ ]?per[ ]?cent\b|[ ]?percent\b|[ ]?pc\b)?
    (?P<pence>(?<=\d)p\b)?
    """,
    re.VERBOSE | re.IGNORECASE,
)

FRACTION = re.compile(
    rf"\b(?P<num>an?|one|two|three|four|five|six|seven|eight|nine|half)(?:[- ]|\s+)(?P<den>{_FRAC})\b"
    r"(?=\s+(?:of|the|a|an|its|their|his|her|all)\b|\s*[,.;:)!?]|\s*$)"
    r"(?!\s+an?\s+(?:dozen|million|billion|trillion)\b)"
    r"|\b(?P<num2>an?|one|two|three|five|seven)(?:[- ]|\s+)(?P<den2>fourths?|sixths?|eighths?)\b(?=\s+of\b)"
    r"|(?<!first\s)(?<!second\s)(?<!other\s)(?<!latter\s)(?<!former\s)(?<!back\s)(?<!front\s)(?<!top\s)"
    r"(?<!bottom\s)(?<!lower\s)(?<!upper\s)"
    r"\b(?P<half>half)\b(?=\s+(?:of|the|a|an|its|their|his|her|all)\b)(?!\s+an?\s+(?:dozen|million|billion|trillion)\b)",
    re.IGNORECASE,
)
# "or about half.", "nearly half,": a hedged half standing alone at the end of a clause (not "cut in
# half", "the second half").
HALF_ALONE = re.compile(
    r"\b(?:about|around|roughly|nearly|almost|over|under|some|only|just|barely|than|or|approximately|"
    r"more\s+than|less\s+than|at\s+least|up\s+to|close\s+to|just\s+over|just\s+under|well\s+over)\s+"
    rf"(?P<half>half|(?:an?|one|two|three|four)[- ](?:{_FRAC}))\b"
    r"(?=\s*[,.;:)!?\"”’]|\s*$|\s+(?:were|was|are|is|had|have|has|will|would|could|can|said|say|do|did)\b)",
    re.IGNORECASE,
)
# "1/2 pound", "3/4 of": a proper fraction with a usual denominator (not a date like 9/11).
DIGIT_FRACTION = re.compile(
    r"(?<![\w/.,])(?P<num>\d{1,2})\s?[/⁄]\s?(?P<den>2|3|4|5|6|8|10|12|16|32|64|100|128)(?![\w/.,]|,\d)"
)
# "one in five adults", "two out of three voters", "3 in 10 homes": a share.
_SMALL = "one|two|three|four|five|six|seven|eight|nine|ten"
OUT_OF = re.compile(
    rf"\b(?P<a>{_SMALL}|\d{{1,3}})\s+(?:out\s+of|in)\s+(?:every\s+)?(?P<b>{_SMALL}|\d{{1,4}})\b"
    r"(?!\s*(?:%|percent|per\s?cent|minutes?|hours?|days?|weeks?|months?|years?|seconds?|games?|matches|races|"
    r"attempts|tries|starts|innings|overs|sets|rounds|[-:/.,]\d))",
    re.IGNORECASE,
)
# "37m (121ft)-long", "a 400m-high tower": metres, not millions.
_METRES_AFTER = re.compile(
    r"^(?:\s?\(|-?\s?(?:long|high|tall|deep|wide|across|away|below|above|thick|in\s+(?:length|height|diameter|"
    r"depth|width)|radius|diameter|depth|length|height|width|race|sprint|hurdles|freestyle|butterfly|"
    r"backstroke|breaststroke|relay)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """A number as written: offsets are relative to the text it was found in."""

    start: int
    end: int
    value: float
    currency: str | None = None
    percent: bool = False
    scaled: bool = False
    is_words: bool = False
    fraction: bool = False
    granularity: float = 1.0
    digits: str = ""
    factor: float = 1.0  # the scale word's: 1e6 for "1.2m"

    @property
    def text_is_integer(self) -> bool:
        return bool(self.digits) and re.fullmatch(r"\d+", self.digits) is not None


def words_to_number(text: str) -> float | None:
    """'twenty-six' -> 26, 'two million' -> 2e6, 'half a million' -> 5e5, 'a dozen' -> 12."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an"):
        words[0] = "one"
    if words == ["dozen"]:
        return 12.0
    if words[-2:] == ["half", "dozen"] and len(words) <= 3:
        return 6.0  # "a half dozen", "half-dozen"
    total, current = 0.0, 0.0
    i = 0
    while i < len(words):
        w = words[i]
        if w in UNITS_WORDS:
            current += UNITS_WORDS[w]
        elif w in TENS_WORDS:
            current += TENS_WORDS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "half":
            # "half a million", "one and a half million"
            if i + 1 < len(words) and words[i + 1] in ("a", "an", "one"):
                i += 1
            current += 0.5
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALE_WORDS:
            total += (current or 1) * SCALE_WORDS[w]
            current = 0.0
        elif w in ("a", "an"):
            pass
        else:
            return None
        i += 1
    return total + current


def parse_digits(digits: str) -> tuple[float, float]:
    """Value and granularity of a digit string: '3,200' -> (3200, 100), '1.25' -> (1.25, 0.01)."""
    s = digits.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", s):
        s = s.replace(".", "").replace(",", ".")
    s = s.replace(",", "").replace(" ", "")
    value = float(s)
    if "." in s:
        decimals = len(s.split(".", 1)[1])
        return value, 10.0 ** -decimals
    stripped = s.lstrip("0") or "0"
    zeros = len(stripped) - len(stripped.rstrip("0")) if stripped != "0" else 0
    return value, 10.0 ** zeros


def _scale_factor(scale: str) -> float:
    s = scale.strip().lower()
    factor = 1.0
    if "and a half" in s:
        # "1 and a half million" is rare in digits; handled as words.
        s = s.replace("and a half", "").strip()
    for part in s.split():
        part = part.rstrip("s") if part.rstrip("s") in SCALE_WORDS else part
        if part in SCALE_WORDS:
            factor *= SCALE_WORDS[part]
        elif part in SCALE_ABBREV:
            factor *= SCALE_ABBREV[part]
    if not s.split() and s in SCALE_ABBREV:
        factor = SCALE_ABBREV[s]
    return factor


def _currency(sign: str) -> str | None:
    """'US$', 'US $', '$US' -> USD; 'RM' -> MYR; 'EUR' -> EUR."""
    key = sign.replace(" ", "")
    if key in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[key]
    if key.startswith("$") and key[1:] + "$" in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[key[1:] + "$"]
    return key if key in CURRENCY_CODES else None


# What each fraction pattern cannot match without: most sentences are spared the patterns.
_FRACTION_WORD = re.compile(r"half|third|quarter|fifth|tenth|fourth|sixth|eighth", re.IGNORECASE)
_IN_OR_OUT = re.compile(r"\s(?:in|out)\s", re.IGNORECASE)


def _fractions(text: str) -> list[Mention]:
    out: list[Mention] = []
    if _FRACTION_WORD.search(text):
        out.extend(_word_fractions(text))
    if _IN_OR_OUT.search(text):
        for m in OUT_OF.finditer(text):
            a, b = (float(x) if x.isdigit() else words_to_number(x) for x in (m.group("a"), m.group("b")))
            if a is not None and b is not None and 0 < a < b:
                out.append(Mention(m.start(), m.end(), round(a / b, 6), fraction=True, is_words=True,
                                   granularity=0.01))
    if "/" in text or "⁄" in text:
        for m in DIGIT_FRACTION.finditer(text):
            num, den = int(m.group("num")), int(m.group("den"))
            if 0 < num < den:
                out.append(Mention(m.start(), m.end(), round(num / den, 10), granularity=1 / den, digits=m.group()))
    return out


def _word_fractions(text: str) -> list[Mention]:
    out = []
    for m in FRACTION.finditer(text):
        num = (m.group("num") or m.group("num2") or "one").lower()
        den = (m.group("den") or m.group("den2") or "half").lower()
        n = 1.0 if num in ("a", "an", "one") else (words_to_number(num) or 1.0)
        value = 0.5 if den == "half" or m.group("half") else n * FRACTION_WORDS[den]
        out.append(Mention(m.start(), m.end(), round(value, 6), fraction=True, is_words=True, granularity=0.05))
    for m in HALF_ALONE.finditer(text):
        num, _, den = m.group("half").lower().replace("-", " ").partition(" ")
        n = 1.0 if num in ("a", "an", "one", "half") else (words_to_number(num) or 1.0)
        value = 0.5 if num == "half" else n * FRACTION_WORDS[den]
        out.append(Mention(m.start("half"), m.end("half"), round(value, 6), fraction=True, is_words=True,
                           granularity=0.05))
    return out


def find_mentions(text: str) -> list[Mention]:
    """Every number expression in `text`, left to right, not overlapping."""
    out: list[Mention] = []
    for f in sorted(_fractions(text), key=lambda f: (f.start, f.start - f.end)):
        if not any(o.start < f.end and f.start < o.end for o in out):
            out.append(f)
    taken = [(f.start, f.end) for f in out]
    for m in MENTION.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        mention = _mention(text, m)
        if mention is not None:
            out.append(mention)
    out.sort(key=lambda x: x.start)
    return out


def _mention(text: str, m: re.Match[str]) -> Mention | None:
    digits = m.group("digits")
    words = m.group("words")
    if digits:
        value, granularity = parse_digits(digits)
    else:
        parsed = words_to_number(words or "")
        if parsed is None:
            return None
        value = parsed
        granularity = parse_digits(str(int(parsed)))[1] if parsed == int(parsed) else 0.5
    end = m.end()
    scale = m.group("scale") or ""
    percent = bool(m.group("pct"))
    cur = (m.group("cur") or "").strip()
    currency = _currency(cur) if cur else None
    if scale.lower() == "m" and not currency and _METRES_AFTER.match(text[m.end("scale") :]):
        # "a 37m (121ft)-long skeleton": the m is metres, read as a unit later.
        scale, end, percent = "", m.start("scale"), False
    if m.group("exp"):
        exponent = int(m.group("exp").replace("−", "-"))
        value = float(f"{value!r}e{exponent}")
        granularity = float(f"{granularity!r}e{exponent}")
    factor = _scale_factor(scale) if scale else 1.0
    if scale and "and a half" in scale.lower():
        value += 0.5
    value *= factor
    granularity *= factor
    if m.group("neg"):
        value = -value
    if m.group("pence"):
        currency = "GBX"
    start = m.start()
    if cur and not currency:
        start += len(m.group("cur"))
    return Mention(
        start,
        end,
        value,
        currency=currency,
        percent=percent,
        scaled=bool(scale),
        is_words=bool(words),
        granularity=granularity,
        digits=digits or "",
        factor=factor,
    )


def as_number(value: float) -> int | float:
    """3200.0 -> 3200; keep real fractions."""
    value = float(f"{value:.12g}")  # significant digits: "2.998×10−8" keeps its digits, 4.1m is 4100000
    if value == int(value) and abs(value) < 1e18:
        return int(value)
    return value
