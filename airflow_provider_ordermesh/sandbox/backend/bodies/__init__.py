"""The request bodies the sandbox reads, declared by the sandbox from the API notes, not taken from ``models/``.

Each class names the documented camelCase keys of one body (``shared/ordermesh-api/``); keys it
does not name are refused with a 400, so a client that misspells a key fails against the sandbox.
"""
