"""plotmap 0.3: the site plan helper of Plotbook (vendored)."""
__version__ = "0.3.1"


def summary(n, rows=4):
    cols = (n + rows - 1) // rows
    return "%d plots in %d rows of up to %d" % (n, rows, cols)
