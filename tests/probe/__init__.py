"""Tests of ``ordermesh-probe``: against the sandbox, an altered sandbox, and as a command."""
