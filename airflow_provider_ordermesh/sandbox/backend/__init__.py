"""The sandbox's backend: the state of one merchant account and every verb on it, with no HTTP."""
