"""The HTTP face of numcheck.

This package's `__init__` imports nothing, so `service.api.request` (the request contract,
shared with the command line) can be used without loading the web framework.
"""
