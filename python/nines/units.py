"""Units people read, chosen in one place for charts and reports: durations in s / min / h / d / y by
magnitude, and intervals printed with the digits that make their ends differ.

    duration_unit([0.2, 3.5])          -> DurationUnit("h", 1.0, "hours")
    format_duration(0.1333)            -> "8 min"
    format_interval(0.04, 0.0405)      -> "2.40 min .. 2.43 min"
"""
import math
from collections import namedtuple

HOURS_PER_YEAR = 8760.0

DurationUnit = namedtuple("DurationUnit", "symbol hours name")

SECONDS = DurationUnit("s", 1 / 3600, "seconds")
MINUTES = DurationUnit("min", 1 / 60, "minutes")
HOURS = DurationUnit("h", 1.0, "hours")
DAYS = DurationUnit("d", 24.0, "days")
YEARS = DurationUnit("y", HOURS_PER_YEAR, "years")
_UNITS = (SECONDS, MINUTES, HOURS, DAYS, YEARS)


def unit_for(hours):
    """The unit a person would use for one duration: under 1 min in s, under 1 h in min, under 2 d in
    h, under half a year in d, else y."""
    h = abs(float(hours))
    if h < 1 / 60:
        return SECONDS
    if h < 1:
        return MINUTES
    if h < 48:
        return HOURS
    if h < HOURS_PER_YEAR / 2:
        return DAYS
    return YEARS


def duration_unit(values_h, quantile=0.9):
    """One unit for a set of durations (an axis, a column, a whole report): the unit of a high quantile
    of the positive values, so that most values read as numbers between 1 and a few hundred."""
    positive = sorted(float(v) for v in values_h if v is not None and float(v) > 0 and math.isfinite(float(v)))
    if not positive:
        return HOURS
    return unit_for(positive[min(len(positive) - 1, int(quantile * len(positive)))])


def format_duration(hours, unit=None, digits=3):
    """ "8 min", "2.5 h", "45 s": `digits` significant digits at most (trailing zeros dropped,
    integers not cut), in `unit` or the duration's own unit."""
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return "n/a"
    if math.isinf(hours):
        return "inf"
    unit = unit or unit_for(hours)
    v = hours / unit.hours
    text = _sig(v, digits)
    if "." in text:  # "1.00 h" reads "1 h", "2.50 h" reads "2.5 h"
        text = text.rstrip("0").rstrip(".")
    return "{} {}".format(text, unit.symbol)


def _sig(v, digits):
    if v == 0:
        return "0"
    if abs(v) >= 10 ** digits:
        return "{:,.0f}".format(v)
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(v)))))
    return "{:.{}f}".format(v, decimals)


def interval_decimals(lo, hi, scale=1.0, min_digits=2):
    """Decimals that show `lo` and `hi` (divided by scale) as different numbers: the first significant
    digit of the interval's width, and at least `min_digits` significant digits of the ends."""
    a, b = lo / scale, hi / scale
    width = abs(b - a)
    top = max(abs(a), abs(b))
    need = 0
    if top > 0:
        need = max(need, min_digits - 1 - int(math.floor(math.log10(top))))
    if width > 0:
        need = max(need, -int(math.floor(math.log10(width))))
    return max(0, min(need, 12))


def format_interval(lo, hi, unit=None, fmt=None):
    """ "lo .. hi" of durations in hours, in one unit (the upper end's, or `unit`), with the digits that
    make the two ends differ. `fmt` formats a plain number instead (a callable (value, decimals) -> str)."""
    if lo is None or hi is None:
        return "n/a"
    if lo == hi:
        return "{} (exact)".format(format_duration(lo, unit) if fmt is None else fmt(lo, 0))
    if fmt is not None:
        d = interval_decimals(lo, hi)
        return "{} .. {}".format(fmt(lo, d), fmt(hi, d))
    unit = unit or unit_for(hi)
    d = interval_decimals(lo, hi, unit.hours)
    return "{:.{d}f} {u} .. {:.{d}f} {u}".format(lo / unit.hours, hi / unit.hours, d=d, u=unit.symbol)


def percent_decimals(lo, hi, min_digits=2):
    """Decimals of a percentage interval: two significant digits of its width (availability is read
    in nines, so "99.99976 % .. 99.99988 %", not "99.9998 % .. 99.9999 %")."""
    return min(12, interval_decimals(100 * lo, 100 * hi, min_digits=min_digits) + (1 if hi != lo else 0))


def format_percent_interval(lo, hi, min_digits=2):
    """Two probabilities as "99.9714 % .. 99.9731 %", digits from the width (percent_decimals)."""
    if lo is None or hi is None:
        return "n/a"
    if lo == hi:
        return "{:.6g} % (exact)".format(100 * lo)
    d = percent_decimals(lo, hi, min_digits)
    return "{:.{d}f} % .. {:.{d}f} %".format(100 * lo, 100 * hi, d=d)


def format_number_interval(lo, hi):
    """Two plain numbers as "lo .. hi" with the digits that make them differ; small ones (under 0.001)
    in scientific notation with a shared exponent: "2.69e-04 .. 2.86e-04"."""
    if lo is None or hi is None:
        return "n/a"
    if lo == hi:  # nothing uncertain (a cost with no downtime price): one number, said so
        return "{:,.6g} (exact)".format(lo)
    top = max(abs(lo), abs(hi))
    if 0 < top < 1e-3:
        e = int(math.floor(math.log10(top)))
        d = interval_decimals(lo / 10 ** e, hi / 10 ** e)
        return "{:.{d}f}e{e:03d} .. {:.{d}f}e{e:03d}".format(lo / 10 ** e, hi / 10 ** e, d=d, e=e).replace("e-0", "e-")
    d = interval_decimals(lo, hi)
    return "{:,.{d}f} .. {:,.{d}f}".format(lo, hi, d=d)
