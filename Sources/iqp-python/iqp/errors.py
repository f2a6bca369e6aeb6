"""The one exception of the package."""


class IQPError(ValueError):
    """An error the `iqp` command line would report, with the same one-line message
    (`FILE:LINE: field 'F': reason`, docs/reliability.md), raised instead of exiting."""
